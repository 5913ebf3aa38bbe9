using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.WebRtc.Srtp;
using static CamStreamd.Tests.WebRtc.SrtpTestPackets;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Our SRTP/SRTCP (RFC 3711) against the RFC's Appendix B vectors, against libsrtp2 (Debian's
/// reference implementation) in both directions, and for allocations and cost per packet.
/// </summary>
public sealed class SrtpTests(ITestOutputHelper output)
{
    private static readonly byte[] MasterKey = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Aes_cm_keystream_matches_rfc3711_b2()
    {
        using var cm = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        var iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        var keystream = new byte[0xFF02 * 16];
        cm.Keystream(iv, keystream);

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4", Block(keystream, 0x0000));
        Assert.Equal("D23513162B02D0F72A43A2FE4A5F97AB", Block(keystream, 0x0001));
        Assert.Equal("41E95B3BB0A2E8DD477901E4FCA894C0", Block(keystream, 0x0002));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Block(keystream, 0xFEFF));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Block(keystream, 0xFF00));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Block(keystream, 0xFF01));

        static string Block(byte[] keystream, int index) => Convert.ToHexString(keystream, index * 16, 16);
    }

    [Fact]
    public void Key_derivation_matches_rfc3711_b3()
    {
        using var keys = SrtpSessionKeys.Derive(MasterKey, MasterSalt, rtcp: false);

        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(keys.EncryptionKey));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(keys.Salt));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(keys.AuthenticationKey));
    }

    [Fact]
    public void Libsrtp_unprotects_what_we_protect_across_a_sequence_wrap()
    {
        Assert.True(LibSrtp.IsAvailable, "libsrtp2-1 is not installed (build.sh setup installs it)");
        using var ours = new SrtpProtector(MasterKey, MasterSalt);
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: false);
        var buffer = new byte[1500];
        var plain = new byte[1500];
        // Start just below the wrap so the rollover counter must go to 1 for libsrtp to accept the rest.
        for (var i = 0; i < 300; i++)
        {
            var sequence = (ushort)(65_400 + i);
            var length = MakeRtp(plain, sequence, 1200 - (i % 7));
            plain.AsSpan(0, length).CopyTo(buffer);
            var protectedLength = ours.ProtectRtp(buffer, length);
            Assert.Equal(length + SrtpProtector.AuthTagLength, protectedLength);
            Assert.False(buffer.AsSpan(12, 32).SequenceEqual(plain.AsSpan(12, 32)), "payload left in clear");

            var unprotected = theirs.Unprotect(buffer, protectedLength);

            Assert.True(unprotected == length, $"libsrtp refused packet {sequence}: status {-unprotected}");
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));
        }

        Assert.Equal(1u, ours.RolloverCounter);
    }

    [Fact]
    public void A_resent_older_packet_keeps_its_rollover_counter()
    {
        using var ours = new SrtpProtector(MasterKey, MasterSalt);
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: false);
        var buffer = new byte[1500];
        foreach (var sequence in new ushort[] { 65_534, 65_535, 0, 1 })
        {
            var length = MakeRtp(buffer, sequence, 200);
            Assert.Equal(length, theirs.Unprotect(buffer, ours.ProtectRtp(buffer, length)));
        }

        // A NACKed 65535 resent after the wrap: protected with ROC 0 libsrtp finds it a replay
        // (srtp_err_status_replay_fail, 9); with ROC 1 its tag would not verify (auth_fail, 7).
        var resent = MakeRtp(buffer, 65_535, 200);
        Assert.Equal(-9, theirs.Unprotect(buffer, ours.ProtectRtp(buffer, resent)));
        Assert.Equal(1u, ours.RolloverCounter);
    }

    [Fact]
    public void We_unprotect_what_libsrtp_protects()
    {
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: true);
        using var ours = new SrtpUnprotector(MasterKey, MasterSalt);
        var buffer = new byte[1500];
        var plain = new byte[1500];
        for (var i = 0; i < 100; i++)
        {
            var length = MakeRtp(plain, (ushort)(65_500 + i), 100 + i);
            plain.AsSpan(0, length).CopyTo(buffer);
            var protectedLength = theirs.Protect(buffer, length);
            Assert.Equal(length + 10, protectedLength);

            Assert.Equal(SrtpResult.Ok, ours.UnprotectRtp(buffer.AsSpan(0, protectedLength), out var unprotected));
            Assert.Equal(length, unprotected);
            Assert.True(buffer.AsSpan(0, length).SequenceEqual(plain.AsSpan(0, length)));
        }

        var rtcp = MakeRtcp(plain);
        for (var i = 0; i < 3; i++)
        {
            plain.AsSpan(0, rtcp).CopyTo(buffer);
            var protectedLength = theirs.ProtectRtcp(buffer, rtcp);
            Assert.Equal(rtcp + SrtpProtector.SrtcpTrailerLength, protectedLength);
            var replay = buffer[..protectedLength];

            Assert.Equal(SrtpResult.Ok, ours.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out var length));
            Assert.Equal(rtcp, length);
            Assert.True(buffer.AsSpan(0, rtcp).SequenceEqual(plain.AsSpan(0, rtcp)));
            Assert.Equal(SrtpResult.Replayed, ours.UnprotectRtcp(replay, out _));
        }
    }

    [Fact]
    public void Libsrtp_unprotects_our_srtcp_and_we_refuse_a_forged_one()
    {
        using var ours = new SrtpProtector(MasterKey, MasterSalt);
        using var theirs = LibSrtp.Create(MasterKey, MasterSalt, sender: false);
        using var receiver = new SrtpUnprotector(MasterKey, MasterSalt);
        var buffer = new byte[256];
        var plain = new byte[256];
        var rtcp = MakeRtcp(plain);
        for (var i = 0; i < 3; i++)
        {
            plain.AsSpan(0, rtcp).CopyTo(buffer);
            var protectedLength = ours.ProtectRtcp(buffer, rtcp);
            var copy = buffer[..protectedLength];
            Assert.Equal(rtcp, theirs.UnprotectRtcp(buffer, protectedLength));
            Assert.True(buffer.AsSpan(0, rtcp).SequenceEqual(plain.AsSpan(0, rtcp)));

            copy[10] ^= 1;
            Assert.Equal(SrtpResult.AuthenticationFailed, receiver.UnprotectRtcp(copy, out _));
        }

        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtcp(new byte[21], out _));
    }

    [Fact]
    public void Protect_allocates_nothing_and_its_cost_is_reported()
    {
        using var ours = new SrtpProtector(MasterKey, MasterSalt);
        var template = new byte[1500];
        var length = MakeRtp(template, 1, 1200);
        var buffer = new byte[1500];
        // Warm up past tiered compilation (tier 1 comes after 30 calls and a background compile).
        for (var i = 0; i < 20_000; i++)
        {
            template.AsSpan(0, length).CopyTo(buffer);
            ours.ProtectRtp(buffer, length);
        }

        const int Packets = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Packets; i++)
        {
            template.AsSpan(0, length).CopyTo(buffer);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(i + 1001));
            ours.ProtectRtp(buffer, length);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var rtcpBuffer = new byte[256];
        var rtcp = MakeRtcp(rtcpBuffer);
        var rtcpBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Packets; i++)
        {
            MakeRtcp(rtcpBuffer);
            ours.ProtectRtcp(rtcpBuffer, rtcp);
        }

        var rtcpAllocated = GC.GetAllocatedBytesForCurrentThread() - rtcpBefore;
        output.WriteLine($"SRTP protect of a {length}-byte RTP packet: {elapsed.TotalNanoseconds / Packets:0} ns, {allocated} bytes allocated over {Packets} packets; SRTCP {rtcpAllocated} bytes");
        Assert.Equal(0, allocated);
        Assert.Equal(0, rtcpAllocated);
    }

    [Fact]
    public void Unprotect_srtcp_allocates_nothing()
    {
        using var ours = new SrtpProtector(MasterKey, MasterSalt);
        using var receiver = new SrtpUnprotector(MasterKey, MasterSalt);
        var packets = new byte[10_000][];
        for (var i = 0; i < packets.Length; i++)
        {
            var buffer = new byte[128];
            var length = ours.ProtectRtcp(buffer, MakeRtcp(buffer));
            packets[i] = buffer[..length];
        }

        receiver.UnprotectRtcp(packets[0], out _);
        var ok = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < packets.Length; i++)
        {
            ok += receiver.UnprotectRtcp(packets[i], out _) == SrtpResult.Ok ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(packets.Length - 1, ok);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Replay_window_refuses_repeats_and_too_old_indices()
    {
        var window = new SrtpReplayWindow();
        Assert.Equal(SrtpResult.Ok, window.Check(100));
        window.Mark(100);
        Assert.Equal(SrtpResult.Replayed, window.Check(100));
        Assert.Equal(SrtpResult.Ok, window.Check(99));
        window.Mark(200);
        Assert.Equal(SrtpResult.Ok, window.Check(150));
        Assert.Equal(SrtpResult.TooOld, window.Check(100));
        Assert.Equal(SrtpResult.Replayed, window.Check(200));
    }
}
