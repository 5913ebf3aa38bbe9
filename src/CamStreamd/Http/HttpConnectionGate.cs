using System.Collections.Concurrent;
using System.Diagnostics;
using CamStreamd.Media;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace CamStreamd.Http;

/// <summary>
/// Holds every HTTP connection in a <see cref="ConnectionBudget"/> (<c>http.maxConnections</c>,
/// <c>http.maxConnectionsPerAddress</c>): a Kestrel connection middleware admits or refuses each
/// connection before HTTP is parsed, and a request middleware marks the requests in progress, so
/// that a crowd of silent, half-sent or idle keep-alive connections is evicted to let
/// <c>/api/health</c>, <c>/metrics</c> and new viewers in. Kestrel's own connection limit is not used:
/// it refuses without evicting.
/// </summary>
internal sealed class HttpConnectionGate : IAsyncDisposable
{
    /// <summary>The first-request timeout under pressure (the table ¾ full); Kestrel's own is <c>KeepAliveTimeout</c>.</summary>
    public static readonly TimeSpan PressureFirstRequestTimeout = TimeSpan.FromSeconds(2);

    // Sent to a refused connection before it is closed (RFC 9110 §15.6.4); it has sent no request yet, or part of one.
    private static readonly ReadOnlyMemory<byte> Refusal =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\nRetry-After: 1\r\n\r\n"u8.ToArray();

    private static readonly TimeSpan RefusalWriteTimeout = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, HttpBudgetedConnection> _byId = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweep = Task.CompletedTask;

    public HttpConnectionGate(ConnectionBudget budget) => Budget = budget;

    /// <summary>The HTTP port's budget.</summary>
    public ConnectionBudget Budget { get; }

    /// <summary>Starts the once-a-second sweep that closes silent connections under pressure.</summary>
    public void Start() => _sweep = SweepAsync(_stopping.Token);

    /// <summary>The Kestrel connection middleware (<c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Admit(ConnectionDelegate next) => async connection =>
    {
        var held = new HttpBudgetedConnection(connection);
        if (Budget.TryAdmit(held) != BudgetAdmission.Admitted)
        {
            using var timeout = new CancellationTokenSource(RefusalWriteTimeout);
            try
            {
                await connection.Transport.Output.WriteAsync(Refusal, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
            {
                // Gone or not reading: it is closed either way.
            }

            return;
        }

        _byId[connection.ConnectionId] = held;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _byId.TryRemove(connection.ConnectionId, out _);
            Budget.Release(held);
        }
    };

    /// <summary>The request middleware: marks a request in progress on its connection (never evicted meanwhile).</summary>
    public async Task TrackRequestAsync(HttpContext context, RequestDelegate next)
    {
        if (!_byId.TryGetValue(context.Connection.Id, out var held))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        held.BeginRequest();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            held.EndRequest();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweep.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Budget.CloseSilentUnderPressure(Stopwatch.GetTimestamp(), PressureFirstRequestTimeout);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
