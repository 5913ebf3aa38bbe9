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

    /// <summary>How the viewer is counted in <see cref="StreamCounters"/>.</summary>
    public virtual ViewerProtocol Protocol => ViewerProtocol.RtspUdp;

    /// <summary>Sends every packet of <paramref name="unit"/>; false when the peer is gone (stop the session's loop).</summary>
    public abstract ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one compound RTCP packet that follows a 4-byte interleaved header in <paramref name="prefixed"/>
    /// (the TCP transport patches and sends the header, datagram transports skip it). False when the peer is gone.
    /// </summary>
    public virtual ValueTask<bool> SendRtcpAsync(Memory<byte> prefixed, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>Bytes <see cref="SendAsync"/> puts on the wire for <paramref name="unit"/> (datagrams: RTP packets without the interleaved headers).</summary>
    public virtual long WireLength(AccessUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.Rtp.Length - ((long)unit.Rtp.PacketCount * WirePacketBlock.InterleavedHeaderLength);
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
