using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// The RTP fixed header (RFC 3550 §5.1), read from and written to spans without allocation.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// When X is set, a header extension follows the CSRCs: 16 bits profile-defined, 16 bits length
/// in 32-bit words, then the words (§5.3.1). When P is set, the last payload byte counts the
/// padding octets, itself included (§5.1).
/// </remarks>
public readonly struct RtpHeader
{
    /// <summary>Size of the fixed header without CSRCs or extension.</summary>
    public const int FixedLength = 12;

    /// <summary>The only RTP version (RFC 3550 §5.1).</summary>
    public const int Version = 2;

    /// <summary>Creates a header for writing (no padding, extension or CSRCs).</summary>
    public RtpHeader(bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        Marker = marker;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
    }

    private RtpHeader(bool padding, bool extension, int csrcCount, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
        : this(marker, payloadType, sequenceNumber, timestamp, ssrc)
    {
        Padding = padding;
        Extension = extension;
        CsrcCount = csrcCount;
    }

    /// <summary>P: the payload ends with padding.</summary>
    public bool Padding { get; }

    /// <summary>X: a header extension follows the CSRC list.</summary>
    public bool Extension { get; }

    /// <summary>CC: number of CSRC identifiers (0..15).</summary>
    public int CsrcCount { get; }

    /// <summary>M: for H.264, the last packet of an access unit (RFC 6184 §5.1).</summary>
    public bool Marker { get; }

    /// <summary>PT: 7-bit payload type (dynamic 96..127 for H.264).</summary>
    public byte PayloadType { get; }

    /// <summary>16-bit sequence number, +1 per packet, wrapping.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>32-bit media timestamp (90 kHz for video).</summary>
    public uint Timestamp { get; }

    /// <summary>Synchronization source identifier.</summary>
    public uint Ssrc { get; }

    /// <summary>Writes the 12-byte fixed header (V=2, P=0, X=0, CC=0) into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        if (destination.Length < FixedLength)
        {
            throw new ArgumentException("Destination is shorter than an RTP header.", nameof(destination));
        }

        destination[0] = Version << 6;
        destination[1] = (byte)((marker ? 0x80 : 0) | (payloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
    }

    /// <summary>Writes this header's fixed 12 bytes (P, X and CC written as zero).</summary>
    public void WriteTo(Span<byte> destination) =>
        Write(destination, Marker, PayloadType, SequenceNumber, Timestamp, Ssrc);

    /// <summary>
    /// Parses the header of <paramref name="packet"/> and locates its payload (after CSRCs and
    /// extension, before padding). Never throws on malformed input.
    /// </summary>
    public static RtpParseResult TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int payloadOffset, out int payloadLength)
    {
        header = default;
        payloadOffset = 0;
        payloadLength = 0;
        if (packet.Length < FixedLength)
        {
            return RtpParseResult.TooShort;
        }

        var b0 = packet[0];
        if (b0 >> 6 != Version)
        {
            return RtpParseResult.BadVersion;
        }

        var padding = (b0 & 0x20) != 0;
        var extension = (b0 & 0x10) != 0;
        var csrcCount = b0 & 0x0F;
        var offset = FixedLength + (4 * csrcCount);
        if (packet.Length < offset)
        {
            return RtpParseResult.TooShort;
        }

        if (extension)
        {
            if (packet.Length < offset + 4)
            {
                return RtpParseResult.TooShort;
            }

            var words = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            offset += 4 + (4 * words);
            if (packet.Length < offset)
            {
                return RtpParseResult.TooShort;
            }
        }

        var end = packet.Length;
        if (padding)
        {
            var padCount = packet[^1];
            if (padCount == 0 || end - padCount < offset)
            {
                return RtpParseResult.BadPadding;
            }

            end -= padCount;
        }

        header = new RtpHeader(
            padding,
            extension,
            csrcCount,
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        payloadOffset = offset;
        payloadLength = end - offset;
        return RtpParseResult.Ok;
    }
}
