using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.WebRtc.Srtp;
using static CamStreamd.Tests.WebRtc.SrtpTestPackets;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Our SRTP_AEAD_AES_128_GCM (RFC 7714, through OpenSSL's EVP) against the RFC's §16 vectors,
/// against libsrtp2 in both directions (which also checks our key derivation from a 12-byte
/// master salt), a wrong tag leaving the packet as it came, and no allocation per packet.
/// </summary>
public sealed class SrtpGcmTests(ITestOutputHelper output)
{
    // RFC 7714 §16.1: session key and salt (the vectors start after key derivation).
    private static readonly byte[] SessionKey = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] SessionSalt = Convert.FromHexString("517569642070726F2071756F");

    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3A");

    [Fact]
    public void Rtp_matches_rfc7714_16_1()
    {
        var plain = Convert.FromHexString("8040F17B8041F8D35501A0B247616C6C696120657374206F6D6E69732064697669736120696E207061727465732074726573");
        var expected = Convert.FromHexString(
            "8040F17B8041F8D35501A0B2F24DE3A3FB34DE6CACBA861C9D7E4BCABE633BD50D294E6F42A5F47A51C7D19B36DE3ADF8833899D7F27BEB16A9152CF765EE4390CCE");
        using var gcm = SrtpGcmContext.FromSessionKeys(SessionKey, SessionSalt, SessionKey, SessionSalt);
        var buffer = new byte[plain.Length + 16];
        plain.CopyTo(buffer, 0);

        var length = gcm.SealRtp(buffer, 12, buffer.AsSpan(12, plain.Length - 12), 0x5501A0B2, 0, 0xF17B);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer, 0, length));
        Assert.True(gcm.OpenRtp(buffer.AsSpan(0, length), 12, 0x5501A0B2, 0, 0xF17B));
        Assert.Equal(Convert.ToHexString(plain), Convert.ToHexString(buffer, 0, plain.Length));
    }

    [Fact]
    public void Rtcp_matches_rfc7714_16_2_and_an_authenticated_only_packet_opens()
    {
        var plain = Convert.FromHexString("81C8000D4D6172734E5450314E545032525450200000042A0000E9304C756E61" + string.Concat(Enumerable.Repeat("DEADBEEF", 5)));
        var expected = Convert.FromHexString(
            "81C8000D4D61727363E94885DCDAB67CA727D7662F6B7E997FF5C0F76C06F32DC676A5F1730D6FDA4CE09B4686303DED0BB9275BC84AA45896CF4D2FC5ABF87245D9EADE800005D4");
        using var gcm = SrtpGcmContext.FromSessionKeys(SessionKey, SessionSalt, SessionKey, SessionSalt);
        var buffer = new byte[plain.Length + 20];
        plain.CopyTo(buffer, 0);

        var length = gcm.SealRtcp(buffer, plain.Length, 0x4D617273, 0x5D4);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(buffer, 0, length));
        Assert.True(gcm.OpenRtcp(buffer.AsSpan(0, length), plain.Length, 0x4D617273, 0x8000_05D4));
        Assert.Equal(Convert.ToHexString(plain), Convert.ToHexString(buffer, 0, plain.Length));

        // §16.2.2: E = 0, the RTCP packet in clear, all of it authenticated.
        var tagged = Convert.FromHexString(Convert.ToHexString(plain) + "841DD9683DD78EC92AE58790125F62B3000005D4");
        Assert.True(gcm.OpenRtcp(tagged, plain.Length, 0x4D617273, 0x0000_05D4));
        tagged[20] ^= 1;
        Assert.False(gcm.OpenRtcp(tagged, plain.Length, 0x4D617273, 0x0000_05D4));
    }

    [Fact]
    public void A_wrong_tag_is_refused_and_leaves_the_packet_as_it_came()
    {
        using var ours = new SrtpProtector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        using var receiver = new SrtpUnprotector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        var buffer = new byte[1500];
        var length = ours.ProtectRtp(buffer, MakeRtp(buffer, 7, 300));
        Assert.Equal(12 + 300 + 16, length);
        buffer[length - 1] ^= 0x40;
        var forged = buffer[..length];

        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtp(buffer.AsSpan(0, length), out _));
        Assert.Equal(Convert.ToHexString(forged), Convert.ToHexString(buffer, 0, length));

        buffer[length - 1] ^= 0x40;
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(buffer.AsSpan(0, length), out var plain));
        Assert.Equal(312, plain);
        Assert.Equal(SrtpResult.Replayed, receiver.UnprotectRtp(forged.AsSpan(), out _));

        var rtcp = new byte[128];
        var rtcpLength = ours.ProtectRtcp(rtcp, MakeRtcp(rtcp));
        Assert.Equal(32 + 20, rtcpLength);
        rtcp[9] ^= 1;
        var forgedRtcp = rtcp[..rtcpLength];
        Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(rtcp.AsSpan(0, rtcpLength), out _));
        Assert.Equal(Convert.ToHexString(forgedRtcp), Convert.ToHexString(rtcp, 0, rtcpLength));
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtcp(new byte[27], out _));
    }

    [Fact]
    public void Libsrtp_unprotects_what_we_protect_across_a_sequence_wrap_and_our_srtcp()
    {
        Assert.True(LibSrtp.IsAvailable, "libsrtp2-1 is not installed (build.sh setup installs it)");
        using var ours = new SrtpProtector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: false, gcm: true);
        var buffer = new byte[1500];
        var plain = new byte[1500];
        for (var i = 0; i < 300; i++)
        {
            var sequence = (ushort)(65_400 + i);
            var length = MakeRtp(plain, sequence, 1200 - (i % 7));
            plain.AsSpan(0, length).CopyTo(buffer);
            var protectedLength = ours.ProtectRtp(buffer, length);
            Assert.Equal(length + 16, protectedLength);
            Assert.False(buffer.AsSpan(12, 32).SequenceEqual(plain.AsSpan(12, 32)), "payload left in clear");

            var unprotected = theirs.Unprotect(buffer, protectedLength);

            Assert.True(unprotected == length, $"libsrtp refused packet {sequence}: status {-unprotected}");
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));
        }

        Assert.Equal(1u, ours.RolloverCounter);
        var rtcp = MakeRtcp(plain);
        for (var i = 0; i < 3; i++)
        {
            plain.AsSpan(0, rtcp).CopyTo(buffer);
            Assert.Equal(rtcp, theirs.UnprotectRtcp(buffer, ours.ProtectRtcp(buffer, rtcp)));
            Assert.True(buffer.AsSpan(0, rtcp).SequenceEqual(plain.AsSpan(0, rtcp)));
        }
    }

    [Fact]
    public void We_unprotect_what_libsrtp_protects()
    {
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: true, gcm: true);
        using var ours = new SrtpUnprotector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        var buffer = new byte[1500];
        var plain = new byte[1500];
        for (var i = 0; i < 100; i++)
        {
            var length = MakeRtp(plain, (ushort)(65_500 + i), 100 + i);
            plain.AsSpan(0, length).CopyTo(buffer);
            var protectedLength = theirs.Protect(buffer, length);
            Assert.Equal(length + 16, protectedLength);

            Assert.Equal(SrtpResult.Ok, ours.UnprotectRtp(buffer.AsSpan(0, protectedLength), out var unprotected));
            Assert.Equal(length, unprotected);
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));
        }

        var rtcp = MakeRtcp(plain);
        for (var i = 0; i < 3; i++)
        {
            plain.AsSpan(0, rtcp).CopyTo(buffer);
            var protectedLength = theirs.ProtectRtcp(buffer, rtcp);
            Assert.Equal(rtcp + 20, protectedLength);
            var replay = buffer[..protectedLength];

            Assert.Equal(SrtpResult.Ok, ours.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out var length));
            Assert.Equal(rtcp, length);
            Assert.True(buffer.AsSpan(0, rtcp).SequenceEqual(plain.AsSpan(0, rtcp)));
            Assert.Equal(SrtpResult.Replayed, ours.UnprotectRtcp(replay, out _));
        }
    }

    [Fact]
    public void Protect_and_unprotect_allocate_nothing_and_the_cost_is_reported_beside_aes_cm()
    {
        using var gcm = new SrtpProtector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        using var cm = new SrtpProtector(MasterKey, MasterSalt.Concat(new byte[2]).ToArray());
        using var receiver = new SrtpUnprotector(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt);
        var template = new byte[1500];
        var length = MakeRtp(template, 1, 1200);
        var buffer = new byte[1500];
        var rtcp = new byte[256];
        for (var i = 0; i < 20_000; i++)
        {
            template.AsSpan(0, length).CopyTo(buffer);
            gcm.ProtectRtp(buffer, length);
            cm.ProtectRtp(buffer, length);
        }

        const int Packets = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Packets; i++)
        {
            template.AsSpan(0, length).CopyTo(buffer);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(i + 1001));
            gcm.ProtectRtp(buffer, length);
        }

        var gcmElapsed = Stopwatch.GetElapsedTime(started);
        var rtcpOk = 0;
        for (var i = 0; i < Packets; i++)
        {
            var protectedLength = gcm.ProtectRtcp(rtcp, MakeRtcp(rtcp));
            rtcpOk += receiver.UnprotectRtcp(rtcp.AsSpan(0, protectedLength), out _) == SrtpResult.Ok ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Packets; i++)
        {
            template.AsSpan(0, length).CopyTo(buffer);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(i + 1001));
            cm.ProtectRtp(buffer, length);
        }

        var cmElapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"SRTP protect of a {length}-byte RTP packet: AES-GCM {gcmElapsed.TotalNanoseconds / Packets:0} ns, AES-CM + HMAC-SHA1 {cmElapsed.TotalNanoseconds / Packets:0} ns; {allocated} bytes allocated");
        Assert.Equal(Packets, rtcpOk);
        Assert.Equal(0, allocated);
    }
}
