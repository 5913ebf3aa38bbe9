using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtp;

public class RtpHeaderTests
{
    [Fact]
    public void Writes_the_fixed_header_in_network_order()
    {
        var buffer = new byte[12];
        RtpHeader.Write(buffer, marker: true, payloadType: 96, sequenceNumber: 0xABCD, timestamp: 0x01020304, ssrc: 0xDEADBEEF);
        Assert.Equal(new byte[] { 0x80, 0xE0, 0xAB, 0xCD, 1, 2, 3, 4, 0xDE, 0xAD, 0xBE, 0xEF }, buffer);
    }

    [Fact]
    public void Reads_back_what_it_writes()
    {
        var buffer = new byte[20];
        new RtpHeader(false, 127, 65535, uint.MaxValue, 7).WriteTo(buffer);
        Assert.Equal(RtpParseResult.Ok, RtpHeader.TryRead(buffer, out var h, out var offset, out var length));
        Assert.False(h.Marker);
        Assert.Equal(127, h.PayloadType);
        Assert.Equal(65535, h.SequenceNumber);
        Assert.Equal(uint.MaxValue, h.Timestamp);
        Assert.Equal(7u, h.Ssrc);
        Assert.Equal(12, offset);
        Assert.Equal(8, length);
    }

    [Fact]
    public void Skips_csrcs_and_extension_and_removes_padding()
    {
        byte[] packet =
        [
            0xB2, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, // V=2 P=1 X=1 CC=2, PT 96
            0, 0, 0, 10, 0, 0, 0, 11,                 // two CSRCs
            0xBE, 0xDE, 0, 1, 1, 2, 3, 4,             // extension: one word
            0x41, 0x9A,                               // payload
            0, 0, 3,                                  // three bytes of padding
        ];
        Assert.Equal(RtpParseResult.Ok, RtpHeader.TryRead(packet, out var h, out var offset, out var length));
        Assert.True(h.Padding);
        Assert.True(h.Extension);
        Assert.Equal(2, h.CsrcCount);
        Assert.Equal(28, offset);
        Assert.Equal(2, length);

        // Every truncation is reported, never thrown.
        for (var cut = 0; cut < packet.Length; cut++)
        {
            Assert.NotEqual(RtpParseResult.Ok, RtpHeader.TryRead(packet.AsSpan(0, cut), out _, out _, out _));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x40, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x41 }, RtpParseResult.BadVersion)]
    [InlineData(new byte[] { 0x80, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0 }, RtpParseResult.TooShort)]
    [InlineData(new byte[] { 0x81, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x41 }, RtpParseResult.TooShort)]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x41, 0 }, RtpParseResult.BadPadding)]
    [InlineData(new byte[] { 0xA0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x41, 3 }, RtpParseResult.BadPadding)]
    public void Rejects_malformed_headers(byte[] packet, RtpParseResult expected) =>
        Assert.Equal(expected, RtpHeader.TryRead(packet, out _, out _, out _));
}
