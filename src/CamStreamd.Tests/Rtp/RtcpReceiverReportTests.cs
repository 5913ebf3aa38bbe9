using System.Buffers.Binary;
using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtp;

public class RtcpReceiverReportTests
{
    private const uint Ours = 0xCAFEBABE;

    [Fact]
    public void Reads_the_block_about_our_source_from_a_compound_rr_and_sdes()
    {
        byte[] compound = [.. RtcpTestPackets.ReceiverReport(0x01020304, Ours, 64, 1234, 0x0001_0010, 900, 0xAABBCCDD, 0x00010000), .. RtcpTestPackets.Sdes(0x01020304, "viewer@host")];
        Assert.Equal(RtcpParseResult.Ok, RtcpReceiverReport.TryFind(compound, Ours, out var report));
        Assert.Equal(new RtcpReceiverReport(0x01020304, Ours, 64, 1234, 0x0001_0010, 900, 0xAABBCCDD, 0x00010000), report);
        Assert.Equal(10_000, report.JitterMicroseconds(90_000));
    }

    [Fact]
    public void Cumulative_loss_is_a_signed_24_bit_number()
    {
        Assert.Equal(RtcpParseResult.Ok, RtcpReceiverReport.TryFind(RtcpTestPackets.ReceiverReport(1, Ours, 0, -3, 0, 0), Ours, out var report));
        Assert.Equal(-3, report.CumulativeLost);
        Assert.Equal(RtcpParseResult.Ok, RtcpReceiverReport.TryFind(RtcpTestPackets.ReceiverReport(1, Ours, 0, 0x7FFFFF, 0, 0), Ours, out report));
        Assert.Equal(0x7FFFFF, report.CumulativeLost);
    }

    [Fact]
    public void Reads_report_blocks_inside_a_sender_report()
    {
        // SR with RC=2: header, SSRC, 20 bytes sender info, two blocks; ours is the second.
        var sr = new byte[8 + 20 + 48];
        sr[0] = 0x82;
        sr[1] = 200;
        BinaryPrimitives.WriteUInt16BigEndian(sr.AsSpan(2), (ushort)((sr.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(sr.AsSpan(4), 77);
        RtcpTestPackets.WriteBlock(sr.AsSpan(28), 0x11111111, 1, 1, 1, 1, 0, 0);
        RtcpTestPackets.WriteBlock(sr.AsSpan(52), Ours, 2, 50, 3, 4, 5, 6);
        Assert.Equal(RtcpParseResult.Ok, RtcpReceiverReport.TryFind(sr, Ours, out var report));
        Assert.Equal((77u, 50, 4u), (report.ReporterSsrc, report.CumulativeLost, report.Jitter));
    }

    [Fact]
    public void A_compound_without_a_block_about_us_is_no_report()
    {
        var emptyRr = new byte[] { 0x80, 201, 0, 1, 0, 0, 0, 9 };
        Assert.Equal(RtcpParseResult.NoReport, RtcpReceiverReport.TryFind(emptyRr, Ours, out _));
        Assert.Equal(RtcpParseResult.NoReport, RtcpReceiverReport.TryFind(RtcpTestPackets.ReceiverReport(1, 0x12345678, 0, 5, 0, 0), Ours, out _));
        Assert.Equal(RtcpParseResult.NoReport, RtcpReceiverReport.TryFind(RtcpTestPackets.Sdes(1, "x"), Ours, out _));
        Assert.Equal(RtcpParseResult.NoReport, RtcpReceiverReport.TryFind([], Ours, out _));
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 201, 0 }, RtcpParseResult.Truncated)]
    [InlineData(new byte[] { 0x81, 201, 0, 7, 0, 0, 0, 1 }, RtcpParseResult.Truncated)]
    [InlineData(new byte[] { 0x41, 201, 0, 1, 0, 0, 0, 1 }, RtcpParseResult.BadVersion)]
    [InlineData(new byte[] { 0x81, 201, 0, 1, 0, 0, 0, 1 }, RtcpParseResult.BadLength)]
    [InlineData(new byte[] { 0x9F, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, RtcpParseResult.BadLength)]
    public void Malformed_input_is_a_result_not_an_exception(byte[] input, RtcpParseResult expected)
    {
        Assert.Equal(expected, RtcpReceiverReport.TryFind(input, Ours, out _));
    }

    [Fact]
    public void Stops_after_max_packets()
    {
        var one = new byte[] { 0x80, 201, 0, 1, 0, 0, 0, 9 };
        var many = Enumerable.Repeat(one, RtcpPacketReader.MaxPackets + 1).SelectMany(p => p).ToArray();
        Assert.Equal(RtcpParseResult.TooManyPackets, RtcpReceiverReport.TryFind(many, Ours, out _));
    }

    [Fact]
    public void Every_prefix_and_every_single_bit_flip_of_a_real_compound_parses_without_throwing()
    {
        byte[] compound = [.. RtcpTestPackets.ReceiverReport(5, Ours, 1, 2, 3, 4), .. RtcpTestPackets.Sdes(5, "a@b")];
        for (var length = 0; length <= compound.Length; length++)
        {
            _ = RtcpReceiverReport.TryFind(compound.AsSpan(0, length), Ours, out _);
        }

        for (var bit = 0; bit < compound.Length * 8; bit++)
        {
            var copy = (byte[])compound.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var result = RtcpReceiverReport.TryFind(copy, Ours, out _);
            Assert.True(Enum.IsDefined(result));
        }
    }

    [Fact]
    public void Writes_bye()
    {
        var buffer = new byte[8];
        Assert.Equal(8, RtcpBye.Write(buffer, 0x11223344));
        Assert.Equal(new byte[] { 0x81, 203, 0, 1, 0x11, 0x22, 0x33, 0x44 }, buffer);
        var reader = new RtcpPacketReader(buffer);
        Assert.Equal(RtcpParseResult.Ok, reader.Next(out var type, out var count, out var packet));
        Assert.Equal((203, 1, 8), (type, count, packet.Length));
        Assert.Equal(RtcpParseResult.End, reader.Next(out _, out _, out _));
    }
}
