using System.Net;
using System.Net.Sockets;
using CamStreamd.WebRtc.Ice;

namespace CamStreamd.Tests.WebRtc.Plane;

/// <summary>The STUN reader, writer and MESSAGE-INTEGRITY against RFC 5769's test vectors, and hostile input.</summary>
public sealed class StunTests
{
    /// <summary>RFC 5769 §2.4's password of the short-term credential vectors.</summary>
    internal static readonly byte[] VectorKey = System.Text.Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    /// <summary>RFC 5769 §2.1: a binding request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME "evtj:h6vY", MESSAGE-INTEGRITY, FINGERPRINT).</summary>
    internal static readonly byte[] SampleRequest = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74" +
        "002400046e0001ff80290008932ff9b151263b36000600096576746a3a683676592020200008" +
        "00149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    /// <summary>RFC 5769 §2.2: the IPv4 response (192.0.2.1:32853).</summary>
    internal static readonly byte[] SampleIpv4Response = Convert.FromHexString(
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
        "002000080001a147e112a643000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
        "80280004c07d4c96");

    /// <summary>RFC 5769 §2.3: the IPv6 response (2001:db8:1234:5678:11:2233:4455:6677 port 32853).</summary>
    internal static readonly byte[] SampleIpv6Response = Convert.FromHexString(
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220" +
        "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf1" +
        "1784c97c8292c275bfe3ed4180280004c8fb0b4c");

    [Fact]
    public void Rfc5769_sample_request_parses_with_username_priority_integrity_and_fingerprint()
    {
        Assert.Equal(StunParseStatus.Ok, StunReader.TryRead(SampleRequest, out var info));
        Assert.Equal(StunConstants.BindingRequest, info.Type);
        Assert.Equal("evtj:h6vY", System.Text.Encoding.ASCII.GetString(SampleRequest, info.UsernameOffset, info.UsernameLength));
        Assert.Equal(0x6e0001ffu, info.Priority);
        Assert.False(info.Controlling);
        Assert.True(StunIntegrity.Verify(SampleRequest, info.IntegrityOffset, VectorKey, new byte[1500]));
        Assert.False(StunIntegrity.Verify(SampleRequest, info.IntegrityOffset, System.Text.Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBu"), new byte[1500]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc5769_sample_responses_give_the_mapped_address_and_check(bool ipv6)
    {
        var message = ipv6 ? SampleIpv6Response : SampleIpv4Response;
        Assert.Equal(StunParseStatus.Ok, StunReader.TryRead(message, out var info));
        Assert.Equal(StunConstants.BindingSuccess, info.Type);
        Assert.True(StunIntegrity.Verify(message, info.IntegrityOffset, VectorKey, new byte[1500]));
        var expected = ipv6 ? new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853) : new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853);
        Assert.Equal(expected, StunReader.MappedEndPoint(message, info));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Our_response_carries_the_vectors_xor_mapped_address_bytes_integrity_and_fingerprint(bool ipv6)
    {
        var vector = ipv6 ? SampleIpv6Response : SampleIpv4Response;
        var address = ipv6 ? IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677") : IPAddress.Parse("192.0.2.1");
        var buffer = new byte[StunWriter.MaxResponseLength];
        var length = StunWriter.WriteBindingSuccess(buffer, vector.AsSpan(8, 12), ipv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork, 32853, address.GetAddressBytes(), VectorKey, new byte[1500]);
        var ours = buffer.AsSpan(0, length).ToArray();

        // The XOR-MAPPED-ADDRESS attribute is byte for byte the vector's (it follows the vector's 16-byte SOFTWARE).
        var attribute = vector.AsSpan(20 + 16, ipv6 ? 24 : 12).ToArray();
        Assert.Equal(attribute, ours.AsSpan(20, attribute.Length).ToArray());
        Assert.Equal(StunParseStatus.Ok, StunReader.TryRead(ours, out var info));
        Assert.True(StunIntegrity.Verify(ours, info.IntegrityOffset, VectorKey, new byte[1500]));
        Assert.Equal(new IPEndPoint(address, 32853), StunReader.MappedEndPoint(ours, info));
        Assert.Equal(length - 8, info.FingerprintOffset);
    }

    [Fact]
    public void A_request_we_write_reads_back_with_use_candidate_and_checks()
    {
        var buffer = new byte[256];
        var key = System.Text.Encoding.UTF8.GetBytes("0123456789abcdefghijklmn");
        var length = StunWriter.WriteBindingRequest(buffer, new byte[12] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, "abcd:efgh"u8, 1234, 99, true, key, new byte[1500]);
        Assert.Equal(StunParseStatus.Ok, StunReader.TryRead(buffer.AsSpan(0, length), out var info));
        Assert.True(info.UseCandidate);
        Assert.True(info.Controlling);
        Assert.Equal(1234u, info.Priority);
        Assert.True(StunIntegrity.Verify(buffer.AsSpan(0, length), info.IntegrityOffset, key, new byte[1500]));
    }

    [Fact]
    public void Every_truncation_and_a_flipped_fingerprint_are_refused_without_throwing()
    {
        for (var i = 0; i < SampleRequest.Length; i++)
        {
            Assert.NotEqual(StunParseStatus.Ok, StunReader.TryRead(SampleRequest.AsSpan(0, i), out _));
        }

        var flipped = SampleRequest.ToArray();
        flipped[^1] ^= 1;
        Assert.Equal(StunParseStatus.BadFingerprint, StunReader.TryRead(flipped, out _));
        var lied = SampleRequest.ToArray();
        lied[3] += 4;
        Assert.Equal(StunParseStatus.BadLength, StunReader.TryRead(lied, out _));
        Assert.Equal(StunParseStatus.NotStun, StunReader.TryRead(new byte[20], out _));
    }
}
