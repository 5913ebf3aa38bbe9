using System.Diagnostics;
using System.Net;
using CamStreamd.Media;
using Microsoft.AspNetCore.Connections;

namespace CamStreamd.Http;

/// <summary>
/// One Kestrel connection in the HTTP port's <see cref="ConnectionBudget"/>: evictable while no
/// request is in progress on it (one that never sent a request first, then the longest idle
/// keep-alive); an MJPEG viewer or an API call in progress is never evicted.
/// </summary>
internal sealed class HttpBudgetedConnection : IBudgetedConnection
{
    private readonly ConnectionContext _connection;
    private readonly long _connectedAt = Stopwatch.GetTimestamp();
    private int _inProgress;
    private long _lastRequest;

    public HttpBudgetedConnection(ConnectionContext connection)
    {
        _connection = connection;
        RemoteAddress = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
    }

    /// <inheritdoc />
    public IPAddress RemoteAddress { get; }

    /// <inheritdoc />
    public EvictionRank Rank
    {
        get
        {
            if (Volatile.Read(ref _inProgress) != 0)
            {
                return EvictionRank.Never;
            }

            var last = Volatile.Read(ref _lastRequest);
            return last == 0
                ? new EvictionRank(true, EvictionRank.NoRequestYet, _connectedAt)
                : new EvictionRank(true, EvictionRank.Idle, last);
        }
    }

    /// <summary>A request reached the application on this connection.</summary>
    public void BeginRequest()
    {
        Interlocked.Increment(ref _inProgress);
        Volatile.Write(ref _lastRequest, Stopwatch.GetTimestamp());
    }

    /// <summary>The request's response is complete (the connection may idle in keep-alive).</summary>
    public void EndRequest()
    {
        Volatile.Write(ref _lastRequest, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _inProgress);
    }

    /// <inheritdoc />
    public void Evict() => _connection.Abort(new ConnectionAbortedException("evicted: the HTTP connection budget needed room"));
}
