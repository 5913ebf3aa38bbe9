using System.Net;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>The server's shared <see cref="UdpServerPorts"/>, one per local address UDP sessions reached it on, bound at the first and kept until the server stops.</summary>
internal sealed class UdpServerPortPairs(ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, UdpServerPorts> _pairs = [];
    private bool _disposed;

    /// <summary>The pair on <paramref name="address"/>, bound now if there is none yet; null when none could be bound (or the server stops).</summary>
    public UdpServerPorts? For(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            if (!_pairs.TryGetValue(address, out var ports))
            {
                ports = UdpServerPorts.TryBind(address, logger);
                if (ports is not null)
                {
                    _pairs.Add(address, ports);
                }
            }

            return ports;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        UdpServerPorts[] pairs;
        lock (_gate)
        {
            _disposed = true;
            pairs = [.. _pairs.Values];
            _pairs.Clear();
        }

        foreach (var ports in pairs)
        {
            await ports.DisposeAsync().ConfigureAwait(false);
        }
    }
}
