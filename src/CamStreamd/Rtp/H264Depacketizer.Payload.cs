using System.Buffers.Binary;
using CamStreamd.Media.H264;

namespace CamStreamd.Rtp;

/// <content>
/// The payload formats (RFC 6184 §5.6–5.8): a single NAL unit, STAP-A and FU-A, each appended to
/// the access unit being assembled with a start code in front of every NAL unit.
/// </content>
public sealed partial class H264Depacketizer
{
    private H264DepacketizeResult AppendPayload(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return H264DepacketizeResult.EmptyPayload;
        }

        var type = payload[0] & 0x1F;
        if (type is >= 1 and <= 23)
        {
            // A whole NAL unit in the middle of a fragmented one means the fragments were cut short.
            return _fuActive ? H264DepacketizeResult.MalformedFragment : AppendNal(payload);
        }

        return type switch
        {
            H264PayloadRules.StapANalType => AppendStapA(payload),
            H264PayloadRules.FuANalType => AppendFuA(payload),
            _ => H264DepacketizeResult.UnsupportedPacketType,
        };
    }

    /// <summary>STAP-A (RFC 6184 §5.7.1): STAP-A NAL header, then (16-bit size, NAL unit) repeated.</summary>
    private H264DepacketizeResult AppendStapA(ReadOnlySpan<byte> payload)
    {
        if (_fuActive)
        {
            return H264DepacketizeResult.MalformedFragment;
        }

        // Validate every size before writing anything, so a bad aggregate leaves no partial units.
        if (!H264PayloadRules.IsWellFormedStapA(payload))
        {
            return H264DepacketizeResult.MalformedAggregate;
        }

        for (var pos = 1; pos < payload.Length;)
        {
            int size = BinaryPrimitives.ReadUInt16BigEndian(payload[pos..]);
            var result = AppendNal(payload.Slice(pos + 2, size));
            if (result != H264DepacketizeResult.Accepted)
            {
                return result;
            }

            pos += 2 + size;
        }

        return H264DepacketizeResult.Accepted;
    }

    /// <summary>FU-A (RFC 6184 §5.8): FU indicator |F|NRI|28|, FU header |S|E|R|type|, fragment.</summary>
    private H264DepacketizeResult AppendFuA(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            return H264DepacketizeResult.MalformedFragment;
        }

        var fuHeader = payload[1];
        var start = (fuHeader & 0x80) != 0;
        var end = (fuHeader & 0x40) != 0;
        var nalType = fuHeader & 0x1F;
        var fragment = payload[2..];
        if ((start && end) || nalType is 0 or >= 24 || start == _fuActive || (_fuActive && nalType != _fuType))
        {
            return H264DepacketizeResult.MalformedFragment;
        }

        Span<byte> dest;
        if (start)
        {
            if (!TryGrow(StartCodeLength + 1 + fragment.Length, out dest))
            {
                return H264DepacketizeResult.AccessUnitTooLarge;
            }

            WriteStartCode(dest);
            dest[StartCodeLength] = (byte)((payload[0] & 0xE0) | nalType);
            fragment.CopyTo(dest[(StartCodeLength + 1)..]);
            _fuActive = true;
            _fuType = nalType;
            _keyframes[_current] |= nalType == NalUnitType.IdrSlice;
            _hasNonIdrSlice |= nalType == NalUnitType.NonIdrSlice;
        }
        else
        {
            if (!TryGrow(fragment.Length, out dest))
            {
                return H264DepacketizeResult.AccessUnitTooLarge;
            }

            fragment.CopyTo(dest);
        }

        if (end)
        {
            _fuActive = false;
        }

        return H264DepacketizeResult.Accepted;
    }

    private H264DepacketizeResult AppendNal(ReadOnlySpan<byte> nal)
    {
        if (!TryGrow(StartCodeLength + nal.Length, out var dest))
        {
            return H264DepacketizeResult.AccessUnitTooLarge;
        }

        WriteStartCode(dest);
        nal.CopyTo(dest[StartCodeLength..]);
        _keyframes[_current] |= (nal[0] & 0x1F) == NalUnitType.IdrSlice;
        _hasNonIdrSlice |= (nal[0] & 0x1F) == NalUnitType.NonIdrSlice;
        return H264DepacketizeResult.Accepted;
    }

    private static void WriteStartCode(Span<byte> dest)
    {
        dest[0] = 0;
        dest[1] = 0;
        dest[2] = 0;
        dest[3] = 1;
    }
}
