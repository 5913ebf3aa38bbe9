using System.Diagnostics;
using CamStreamd.Interop.OpenSsl;
using CamStreamd.WebRtc.Srtp;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Our AES-128-GCM on AES-NI and PCLMULQDQ against OpenSSL's: the same ciphertext and tag for
/// random keys, IVs, AAD and every length around the eight-block loop's edges, in place and
/// out of place; and NIST's own vector. On a CPU without the instructions the tests say so and
/// check that the class refuses to be made.
/// </summary>
public sealed class AesNiGcm128Tests(ITestOutputHelper output)
{
    [Fact]
    public void Seals_as_the_gcm_spec_test_case_4_does()
    {
        if (!Supported())
        {
            return;
        }

        // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4 (60 bytes, 20 of AAD).
        var key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308");
        var iv = Convert.FromHexString("cafebabefacedbaddecaf888");
        var plain = Convert.FromHexString("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
        var aad = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        using var gcm = new AesNiGcm128(key);
        var sealedBytes = new byte[plain.Length];
        var tag = new byte[16];

        gcm.Seal(iv, aad, plain, sealedBytes, tag);

        Assert.Equal("42831EC2217774244B7221B784D0D49CE3AA212F2C02A4E035C17E2329ACA12E21D514B25466931C7D8F6A5AAC84AA051BA30B396A0AAC973D58E091", Convert.ToHexString(sealedBytes));
        Assert.Equal("5BC94FBC3221A5DB94FAE95AE7121A47", Convert.ToHexString(tag));
    }

    [Fact]
    public void Matches_openssl_on_random_keys_ivs_and_lengths_in_and_out_of_place()
    {
        if (!Supported())
        {
            return;
        }

        var random = new Random(7714);
        var lengths = Enumerable.Range(0, 300).Concat([1188, 1199, 1200, 1201, 1400, 1500, 2047, 4096, 65_000]);
        foreach (var length in lengths)
        {
            var key = new byte[16];
            var iv = new byte[12];
            var aad = new byte[random.Next(0, 48)];
            var plain = new byte[length];
            random.NextBytes(key);
            random.NextBytes(iv);
            random.NextBytes(aad);
            random.NextBytes(plain);
            using var ours = new AesNiGcm128(key);
            using var openssl = new EvpAesGcm(key);
            var expected = new byte[length];
            var expectedTag = new byte[16];
            openssl.Seal(iv, aad, plain, expected, expectedTag);

            var outOfPlace = new byte[length];
            var tag = new byte[16];
            ours.Seal(iv, aad, plain, outOfPlace, tag);
            Assert.True(expected.AsSpan().SequenceEqual(outOfPlace), $"ciphertext differs at length {length}, AAD {aad.Length}");
            Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"tag differs at length {length}, AAD {aad.Length}");

            var inPlace = (byte[])plain.Clone();
            ours.Seal(iv, aad, inPlace, inPlace, tag);
            Assert.True(expected.AsSpan().SequenceEqual(inPlace), $"in-place ciphertext differs at length {length}");
            Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"in-place tag differs at length {length}");
        }
    }

    [Fact]
    public void Sealing_allocates_nothing_and_its_cost_is_reported_beside_openssl()
    {
        if (!Supported())
        {
            return;
        }

        var key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
        var iv = new byte[12];
        var header = new byte[12];
        var payload = new byte[1200];
        var sealedBytes = new byte[1200];
        var tag = new byte[16];
        using var ours = new AesNiGcm128(key);
        using var openssl = new EvpAesGcm(key);
        const int Packets = 20_000;
        for (var i = 0; i < Packets; i++)
        {
            ours.Seal(iv, header, payload, sealedBytes, tag);
            openssl.Seal(iv, header, payload, sealedBytes, tag);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Packets; i++)
        {
            iv[11] = (byte)i;
            ours.Seal(iv, header, payload, sealedBytes, tag);
        }

        var oursElapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < Packets; i++)
        {
            iv[11] = (byte)i;
            openssl.Seal(iv, header, payload, sealedBytes, tag);
        }

        var opensslElapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"AES-128-GCM seal of 1200 bytes, 12 of AAD: AES-NI {oursElapsed.TotalNanoseconds / Packets:0} ns, OpenSSL EVP {opensslElapsed.TotalNanoseconds / Packets:0} ns; {allocated} bytes allocated");
        Assert.Equal(0, allocated);
    }

    private bool Supported()
    {
        if (AesNiGcm128.IsSupported)
        {
            return true;
        }

        output.WriteLine("This CPU has no AES-NI/PCLMULQDQ: SRTP seals through OpenSSL here; checking that the class refuses.");
        Assert.Throws<PlatformNotSupportedException>(() => new AesNiGcm128(new byte[16]));
        return false;
    }
}
