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
    /// Sends what the socket takes of <paramref name="unit"/> at once, never waiting (the stream's
    /// fan-out calls it for every viewer in one pass). On <see cref="DirectSendResult.Partial"/>,
    /// <paramref name="progress"/> says where <see cref="SendRestAsync"/> goes on from. By default
    /// nothing is sent here and the waiting send does it all.
    /// </summary>
    public virtual DirectSendResult TrySendNow(AccessUnit unit, out int progress)
    {
        progress = 0;
        return DirectSendResult.Partial;
    }

    /// <summary>Sends what <see cref="TrySendNow"/> left of <paramref name="unit"/>, waiting for room; false when the peer is gone.</summary>
    public virtual ValueTask<bool> SendRestAsync(AccessUnit unit, int progress, CancellationToken cancellationToken) => SendAsync(unit, cancellationToken);

    /// <summary>As <see cref="TrySendNow"/>, for an RTCP packet (see <see cref="SendRtcpAsync"/>); by default it goes at once or is lost, as a datagram would.</summary>
    public virtual DirectSendResult TrySendRtcpNow(Memory<byte> prefixed, out int progress)
    {
        progress = 0;
        return DirectSendResult.Partial;
    }

    /// <summary>Sends what <see cref="TrySendRtcpNow"/> left of <paramref name="prefixed"/>; false when the peer is gone.</summary>
    public virtual ValueTask<bool> SendRtcpRestAsync(Memory<byte> prefixed, int progress, CancellationToken cancellationToken) => SendRtcpAsync(prefixed, cancellationToken);

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
