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
        var position = AnnexBReader.FindStartCode(stream, 0, out var codeLength);
        while (position >= 0)
        {
            var header = position + codeLength;
            var next = AnnexBReader.FindStartCode(stream, header, out var nextCodeLength);
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
}
