using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// Walks the packets of one compound RTCP packet (RFC 3550 §6.1) on bytes only: no exceptions,
/// no allocation, at most <see cref="MaxPackets"/> packets, never reads past the input.
/// </summary>
/// <remarks>
/// Every RTCP packet starts with the same 32-bit header:
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |   length (32-bit words - 1)   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The count field is RC (reception report count) for SR/RR and SC (source count) for SDES/BYE.
/// </remarks>
public ref struct RtcpPacketReader
{
    /// <summary>Most packets read from one compound (a real one has 2–4: SR/RR, SDES, maybe BYE/APP).</summary>
    public const int MaxPackets = 32;

    /// <summary>The common header length.</summary>
    public const int HeaderLength = 4;

    /// <summary>Packet type SR (§6.4.1).</summary>
    public const byte PacketTypeSr = 200;

    /// <summary>Packet type RR (§6.4.2).</summary>
    public const byte PacketTypeRr = 201;

    /// <summary>Packet type SDES (§6.5).</summary>
    public const byte PacketTypeSdes = 202;

    /// <summary>Packet type BYE (§6.6).</summary>
    public const byte PacketTypeBye = 203;

    /// <summary>Packet type APP (§6.7).</summary>
    public const byte PacketTypeApp = 204;

    /// <summary>Payload-specific feedback, e.g. a picture loss indication (RFC 4585 §6.1).</summary>
    public const byte PacketTypePayloadFeedback = 206;

    private ReadOnlySpan<byte> _rest;
    private int _packets;

    /// <summary>Starts reading <paramref name="compound"/>.</summary>
    public RtcpPacketReader(ReadOnlySpan<byte> compound)
    {
        _rest = compound;
        _packets = 0;
    }

    /// <summary>
    /// Reads the next packet: its type, its count field (RC/SC) and the whole packet including
    /// the header. <see cref="RtcpParseResult.End"/> when no bytes are left; an error stops reading.
    /// </summary>
    public RtcpParseResult Next(out byte packetType, out int count, out ReadOnlySpan<byte> packet)
    {
        packetType = 0;
        count = 0;
        packet = default;
        if (_rest.IsEmpty)
        {
            return RtcpParseResult.End;
        }

        if (_rest.Length < HeaderLength)
        {
            return Stop(RtcpParseResult.Truncated);
        }

        if (_rest[0] >> 6 != RtpHeader.Version)
        {
            return Stop(RtcpParseResult.BadVersion);
        }

        if (++_packets > MaxPackets)
        {
            return Stop(RtcpParseResult.TooManyPackets);
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(_rest[2..]) + 1) * 4;
        if (length > _rest.Length)
        {
            return Stop(RtcpParseResult.Truncated);
        }

        count = _rest[0] & 0x1F;
        packetType = _rest[1];
        packet = _rest[..length];
        _rest = _rest[length..];
        return RtcpParseResult.Ok;
    }

    private RtcpParseResult Stop(RtcpParseResult result)
    {
        _rest = default;
        return result;
    }
}
