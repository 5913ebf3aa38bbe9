namespace CamStreamd.Media.H264;

/// <summary>
/// Walks the NAL units of an Annex-B byte stream (ITU-T H.264 Annex B): each unit follows a
/// 3-byte (00 00 01) or 4-byte (00 00 00 01) start code. A ref struct: no allocation.
/// </summary>
public ref struct AnnexBReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Starts reading at the first start code of <paramref name="data"/>.</summary>
    public AnnexBReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = FindStartCode(data, 0, out var codeLength);
        _position = _position < 0 ? data.Length : _position + codeLength;
    }

    /// <summary>
    /// Returns the next NAL unit (header byte first, no start code, trailing zero bytes of the
    /// next start code trimmed), or false at the end.
    /// </summary>
    public bool TryReadNext(out ReadOnlySpan<byte> nalUnit)
    {
        while (_position < _data.Length)
        {
            var start = _position;
            var next = FindStartCode(_data, start, out var codeLength);
            var end = next < 0 ? _data.Length : next;
            _position = next < 0 ? _data.Length : next + codeLength;

            // trailing_zero_8bits may precede the next start code; they belong to neither unit.
            while (end > start && _data[end - 1] == 0)
            {
                end--;
            }

            if (end > start)
            {
                nalUnit = _data[start..end];
                return true;
            }
        }

        nalUnit = default;
        return false;
    }

    /// <summary>NAL unit type: the low five bits of the header byte (H.264 §7.3.1).</summary>
    public static int NalType(ReadOnlySpan<byte> nalUnit) => nalUnit.IsEmpty ? -1 : nalUnit[0] & 0x1F;

    /// <summary>
    /// Finds the next 00 00 01 at or after <paramref name="from"/>: the offset of the start code
    /// (of the zero before it when there is one after <paramref name="from"/>, which makes it a
    /// 4-byte code), or -1; <paramref name="codeLength"/> is 3 or 4.
    /// </summary>
    internal static int FindStartCode(ReadOnlySpan<byte> data, int from, out int codeLength)
    {
        var i = from;
        while (i + 2 < data.Length)
        {
            var rel = data[i..].IndexOf((byte)1);
            if (rel < 0)
            {
                break;
            }

            var one = i + rel;
            if (one >= 2 && data[one - 1] == 0 && data[one - 2] == 0 && one - 2 >= from)
            {
                var begin = one - 2;
                codeLength = 3;
                if (begin > from && data[begin - 1] == 0)
                {
                    begin--;
                    codeLength = 4;
                }

                return begin;
            }

            i = one + 1;
        }

        codeLength = 0;
        return -1;
    }
}
