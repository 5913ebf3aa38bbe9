namespace CamStreamd.Tests.Http;

/// <summary>
/// Reads a JPEG's size from its frame header (ITU-T T.81 B.2.2: SOFn = FF C0..CF except C4, C8,
/// CC; after the 2-byte length come precision (1), height (2), width (2)), checking that the data
/// starts with SOI (FF D8) and ends with EOI (FF D9).
/// </summary>
internal static class JpegHeader
{
    /// <summary>The picture's (width, height); throws naming what is wrong.</summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new FormatException("no SOI (FF D8) at the start");
        }

        if (jpeg[^2] != 0xFF || jpeg[^1] != 0xD9)
        {
            throw new FormatException("no EOI (FF D9) at the end");
        }

        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                throw new FormatException($"expected a marker at byte {at}, got 0x{jpeg[at]:X2}");
            }

            var marker = jpeg[at + 1];
            var length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                var height = (jpeg[at + 5] << 8) | jpeg[at + 6];
                var width = (jpeg[at + 7] << 8) | jpeg[at + 8];
                return (width, height);
            }

            if (marker == 0xDA)
            {
                break;
            }

            at += 2 + length;
        }

        throw new FormatException("no SOF marker before the scan");
    }
}
