using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Media;

public class AnnexBReaderTests
{
    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 9 }, 3)]
    [InlineData(new byte[] { 0, 0, 1, 0x41, 0, 0, 0 }, 1)]
    [InlineData(new byte[] { 1, 2, 3 }, 0)]
    [InlineData(new byte[] { }, 0)]
    public void Counts_nal_units_across_3_and_4_byte_start_codes(byte[] stream, int expected)
    {
        var reader = new AnnexBReader(stream);
        var count = 0;
        while (reader.TryReadNext(out _))
        {
            count++;
        }

        Assert.Equal(expected, count);
    }

    [Fact]
    public void Returns_units_without_start_codes_or_trailing_zeros()
    {
        byte[] stream = [0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 9];
        var reader = new AnnexBReader(stream);
        Assert.True(reader.TryReadNext(out var sps));
        Assert.Equal(new byte[] { 0x67, 1, 2 }, sps.ToArray());
        Assert.True(reader.TryReadNext(out var pps));
        Assert.Equal(new byte[] { 0x68, 3 }, pps.ToArray());
        Assert.True(reader.TryReadNext(out var idr));
        Assert.Equal(NalUnitType.IdrSlice, AnnexBReader.NalType(idr));
        Assert.False(reader.TryReadNext(out _));
    }
}
