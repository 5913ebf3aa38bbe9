using System.Buffers.Binary;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp;

/// <summary>
/// RTP/AVP/TCP (RFC 2326 §10.12): packets go through the RTSP connection, each behind
/// '$', channel, 16-bit length. On channel 0 the hub's ready-made block is written as is, one
/// write per frame; on another channel a per-session copy has its channel bytes patched. The
/// fan-out writes without waiting (<see cref="TrySendNow(AccessUnit, out int)"/>); what the socket did not take
/// goes through the connection's waiting, serialized <see cref="RtspConnection.SendAsync"/>.
/// </summary>
internal sealed class TcpInterleavedTransport : RtpTransport
{
    private readonly RtspConnection _connection;
    private readonly byte _channel;
    private readonly byte _rtcpChannel;
    private byte[] _patched = [];

    public TcpInterleavedTransport(RtspConnection connection, (int Rtp, int Rtcp) channels)
    {
        _connection = connection;
        _channel = (byte)channels.Rtp;
        _rtcpChannel = (byte)channels.Rtcp;
        Reply = new TransportSpec { LowerTransport = RtspLowerTransport.Tcp, Interleaved = channels };
    }

    public override TransportSpec Reply { get; }

    public override string Name => "TCP interleaved";

    public override ViewerProtocol Protocol => ViewerProtocol.RtspTcp;

    /// <summary>The channel of RTCP in both directions (the odd one of the pair, RFC 2326 §10.12).</summary>
    public byte RtcpChannel => _rtcpChannel;

    public RtspConnection Connection => _connection;

    public override ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken) =>
        _connection.SendAsync(FrameBytes(unit), cancellationToken);

    public override DirectSendResult TrySendNow(AccessUnit unit, out int progress) => TrySendNow(FrameBytes(unit), out progress);

    public override ValueTask<bool> SendRestAsync(AccessUnit unit, int progress, CancellationToken cancellationToken) =>
        SendRest(FrameBytes(unit), progress, cancellationToken);

    public override ValueTask<bool> SendRtcpAsync(Memory<byte> prefixed, CancellationToken cancellationToken)
    {
        prefixed.Span[1] = _rtcpChannel;
        return _connection.SendAsync(prefixed, cancellationToken);
    }

    public override DirectSendResult TrySendRtcpNow(Memory<byte> prefixed, out int progress)
    {
        prefixed.Span[1] = _rtcpChannel;
        return TrySendNow(prefixed, out progress);
    }

    public override ValueTask<bool> SendRtcpRestAsync(Memory<byte> prefixed, int progress, CancellationToken cancellationToken) =>
        SendRest(prefixed, progress, cancellationToken);

    public override long WireLength(AccessUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.Rtp.Length;
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The part of <paramref name="bytes"/> a direct write left: it must follow at once; all of it may queue as any write.</summary>
    private ValueTask<bool> SendRest(ReadOnlyMemory<byte> bytes, int progress, CancellationToken cancellationToken) =>
        progress > 0 ? _connection.SendRestOfDirectWriteAsync(bytes[progress..]) : _connection.SendAsync(bytes, cancellationToken);

    private DirectSendResult TrySendNow(ReadOnlyMemory<byte> bytes, out int progress)
    {
        progress = _connection.TrySendNow(bytes.Span);
        return progress < 0 ? DirectSendResult.Gone
            : progress == bytes.Length ? DirectSendResult.Complete
            : DirectSendResult.Partial;
    }

    /// <summary>
    /// The frame as this session sends it: the hub's block on channel 0, else a copy with each
    /// packet's channel byte patched (rebuilt on every call, so the rest of a partly sent frame
    /// is the same bytes).
    /// </summary>
    private ReadOnlyMemory<byte> FrameBytes(AccessUnit unit)
    {
        var block = unit.Rtp;
        if (_channel == 0)
        {
            return block.InterleavedMemory;
        }

        if (_patched.Length < block.Length)
        {
            _patched = new byte[Math.Max(block.Length, _patched.Length * 2)];
        }

        block.InterleavedBytes.CopyTo(_patched);
        var position = 0;
        while (position + WirePacketBlock.InterleavedHeaderLength <= block.Length)
        {
            // Byte 1 of each 4-byte header is the channel; bytes 2..3 the packet length.
            _patched[position + 1] = _channel;
            position += WirePacketBlock.InterleavedHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(_patched.AsSpan(position + 2, 2));
        }

        return _patched.AsMemory(0, block.Length);
    }
}
