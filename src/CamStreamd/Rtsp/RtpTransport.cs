using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp;

/// <summary>How one session's RTP leaves the server: interleaved in the RTSP connection or as UDP datagrams.</summary>
internal abstract class RtpTransport : IAsyncDisposable
{
    /// <summary>The Transport header value to put in the SETUP reply.</summary>
    public abstract TransportSpec Reply { get; }

    /// <summary>Short name for logs.</summary>
    public abstract string Name { get; }

    /// <summary>Sends every packet of <paramref name="unit"/>; false when the peer is gone (stop the session's loop).</summary>
    public abstract ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
