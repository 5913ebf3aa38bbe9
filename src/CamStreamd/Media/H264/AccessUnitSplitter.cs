namespace CamStreamd.Media.H264;

/// <summary>
/// Cuts an Annex-B byte stream (a raw <c>.h264</c> file) into access units, one per picture
/// (H.264 §7.4.1.2.3): a unit starts at an access unit delimiter, SPS, PPS or SEI that follows a
/// slice, or at a slice whose <c>first_mb_in_slice</c> is 0 that follows a slice. Works on
/// streams with several slices per picture and without delimiters (x264's default output).
/// </summary>
public static class AccessUnitSplitter
{
    /// <summary>
    /// Returns the (offset, length) of each access unit in <paramref name="stream"/>, start codes
    /// included; bytes before the first start code are ignored.
    /// </summary>
    public static IReadOnlyList<(int Offset, int Length)> Split(ReadOnlySpan<byte> stream)
    {
        var units = new List<(int Offset, int Length)>();
        var unitStart = -1;
        var sawSlice = false;
        var position = NextStartCode(stream, 0, out var codeLength);
        while (position >= 0)
        {
            var header = position + codeLength;
            var next = NextStartCode(stream, header, out var nextCodeLength);
            if (header < stream.Length)
            {
                var type = stream[header] & 0x1F;
                var isSlice = type is NalUnitType.NonIdrSlice or NalUnitType.IdrSlice;

                // ue(v) first_mb_in_slice is 0 exactly when its first bit is 1.
                var firstSliceOfPicture = isSlice && header + 1 < stream.Length && (stream[header + 1] & 0x80) != 0;
                var opensUnit = type is NalUnitType.AccessUnitDelimiter or NalUnitType.Sps or NalUnitType.Pps or NalUnitType.Sei || firstSliceOfPicture;
                if (unitStart < 0)
                {
                    unitStart = position;
                }
                else if (sawSlice && opensUnit)
                {
                    units.Add((unitStart, position - unitStart));
                    unitStart = position;
                    sawSlice = false;
                }

                sawSlice |= isSlice;
            }

            position = next;
            codeLength = nextCodeLength;
        }

        if (unitStart >= 0 && sawSlice)
        {
            units.Add((unitStart, stream.Length - unitStart));
        }

        return units;
    }

    /// <summary>The offset of the next start code (its first zero byte) at or after <paramref name="from"/>, or -1.</summary>
    private static int NextStartCode(ReadOnlySpan<byte> stream, int from, out int length)
    {
        for (var i = from; i + 2 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                // A 4-byte start code owns the zero before it.
                var start = i > from && stream[i - 1] == 0 ? i - 1 : i;
                length = i + 3 - start;
                return start;
            }
        }

        length = 0;
        return -1;
    }
}
