using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtp;

public class RtcpSenderReportTests
{
    [Fact]
    public void Writes_a_sender_report()
    {
        var buffer = new byte[40];
        var written = RtcpSenderReport.Write(buffer, 0x11223344, 0xAABBCCDD_00000001, 0x01020304, (1L << 32) + 5, 1000);
        Assert.Equal(28, written);
        Assert.Equal(
            new byte[]
            {
                0x80, 200, 0, 6, 0x11, 0x22, 0x33, 0x44,
                0xAA, 0xBB, 0xCC, 0xDD, 0, 0, 0, 1,
                1, 2, 3, 4, 0, 0, 0, 5, 0, 0, 0x03, 0xE8,
            },
            buffer[..28]);
    }

    [Fact]
    public void Ntp_timestamps_count_from_1900()
    {
        // 1970-01-01 is 2,208,988,800 s after the NTP epoch; half a second is 2^31 in the fraction.
        var ntp = RtcpSenderReport.ToNtpTimestamp(new DateTime(1970, 1, 1, 0, 0, 0, 500, DateTimeKind.Utc));
        Assert.Equal(2_208_988_800UL, ntp >> 32);
        Assert.Equal(1UL << 31, ntp & 0xFFFF_FFFF);
    }

    [Theory]
    [InlineData("a", 12)]       // 4 + SSRC 4 + type, length, 'a', null = 12
    [InlineData("ab", 16)]      // 4 + 4 + 2 + 2 = 12 bytes of chunk content: needs a null, so 16
    [InlineData("cam@host", 20)]
    public void Sdes_cname_is_null_terminated_and_padded(string cname, int expected)
    {
        var buffer = new byte[64];
        Array.Fill(buffer, (byte)0xFF);
        var written = RtcpSenderReport.WriteSdesCname(buffer, 7, cname);
        Assert.Equal(expected, written);
        Assert.Equal(0, written % 4);
        Assert.Equal(0x81, buffer[0]);
        Assert.Equal(202, buffer[1]);
        Assert.Equal((written / 4) - 1, (buffer[2] << 8) | buffer[3]);
        Assert.Equal(1, buffer[8]);
        Assert.Equal(cname.Length, buffer[9]);
        Assert.Equal(0, buffer[10 + cname.Length]);
        Assert.Equal(0xFF, buffer[written]);
    }
}
