using System.Buffers.Binary;
using CamStreamd.Media.H264;

namespace CamStreamd.Rtp;

/// <summary>Checks on RFC 6184 payloads that need no depacketizer state.</summary>
internal static class H264PayloadRules
{
    /// <summary>NAL unit type of a STAP-A packet (RFC 6184 Table 1).</summary>
    public const int StapANalType = 24;

    /// <summary>NAL unit type of an FU-A packet (RFC 6184 Table 1).</summary>
    public const int FuANalType = 28;

    /// <summary>
    /// True when <paramref name="payload"/> plausibly opens an access unit: an AUD, SPS or SEI
    /// first (H.264 §7.4.1.2.3 orders them before the first slice), or a slice with
    /// first_mb_in_slice = 0 (its ue(v) is the single bit '1' right after the NAL header).
    /// </summary>
    public static bool StartsAccessUnit(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            return false;
        }

        var type = payload[0] & 0x1F;
        switch (type)
        {
            case StapANalType:
                return payload.Length >= 4 && StartsWith(payload[3..]);
            case FuANalType:
                return (payload[1] & 0x80) != 0 && payload.Length >= 3 && IsOpeningNal(payload[1] & 0x1F, payload[2]);
            default:
                return StartsWith(payload);
        }

        static bool StartsWith(ReadOnlySpan<byte> nal) => nal.Length >= 2 && IsOpeningNal(nal[0] & 0x1F, nal[1]);

        static bool IsOpeningNal(int type, byte firstPayloadByte) => type switch
        {
            NalUnitType.AccessUnitDelimiter or NalUnitType.Sps or NalUnitType.Sei => true,
            NalUnitType.NonIdrSlice or NalUnitType.IdrSlice => (firstPayloadByte & 0x80) != 0,
            _ => false,
        };
    }

    /// <summary>
    /// True when a STAP-A payload (RFC 6184 §5.7.1: STAP-A NAL header, then 16-bit size and NAL
    /// unit, repeated) holds at least one unit, every size fits, and every unit is a plain NAL type.
    /// </summary>
    public static bool IsWellFormedStapA(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 4)
        {
            return false;
        }

        for (var pos = 1; pos < payload.Length;)
        {
            if (pos + 2 > payload.Length)
            {
                return false;
            }

            int size = BinaryPrimitives.ReadUInt16BigEndian(payload[pos..]);
            pos += 2;
            if (size == 0 || pos + size > payload.Length || (payload[pos] & 0x1F) is 0 or >= 24)
            {
                return false;
            }

            pos += size;
        }

        return true;
    }
}
