using System.Runtime.CompilerServices;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>The server's <see cref="RtspFanout"/> of each stream, made at its first viewer and gone with its hub.</summary>
internal sealed class RtspFanouts
{
    private readonly ConditionalWeakTable<StreamHub, RtspFanout> _fanouts = [];
    private readonly ILogger _logger;
    private readonly CancellationToken _serverStopping;

    public RtspFanouts(ILogger logger, CancellationToken serverStopping)
    {
        _logger = logger;
        _serverStopping = serverStopping;
    }

    /// <summary>The fan-out of <paramref name="hub"/>.</summary>
    public RtspFanout For(StreamHub hub) =>
        _fanouts.GetValue(hub, h => new RtspFanout(h, _logger, _serverStopping));
}
