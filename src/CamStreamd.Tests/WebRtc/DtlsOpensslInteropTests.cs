using System.Text.RegularExpressions;
using CamStreamd.WebRtc.Dtls;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Our DTLS-SRTP server against an independent peer: OpenSSL's <c>s_client -dtls1_2 -use_srtp</c>
/// over loopback UDP with its own P-256 certificate. It exports the SRTP keying material itself,
/// which must equal ours byte for byte; its stdin closes after the handshake, so it sends close_notify.
/// Offered AES-CM alone it gets AES-CM; offered AES-CM first and AES-GCM after, it gets GCM (our preference).
/// </summary>
public sealed partial class DtlsOpensslInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_80", 60)]
    [InlineData("SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", "SRTP_AEAD_AES_128_GCM", 56)]
    public async Task Openssl_s_client_completes_the_handshake_with_the_same_exported_keys(string offered, string negotiated, int exportedLength)
    {
        var directory = Directory.CreateTempSubdirectory("camstreamd-dtls-");
        try
        {
            var key = Path.Combine(directory.FullName, "key.pem");
            var certificate = Path.Combine(directory.FullName, "cert.pem");
            var made = PeerProcess.Run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", certificate, "-subj", "/CN=openssl", "-days", "1"], "openssl");
            Assert.True(made.ExitCode == 0, made.StandardError);
            var print = PeerProcess.Run("openssl", ["x509", "-in", certificate, "-noout", "-fingerprint", "-sha256"], "openssl");
            var printed = FingerprintLine().Match(print.StandardOutput);
            Assert.True(printed.Success, print.StandardOutput);
            Assert.True(DtlsFingerprint.TryParse("sha-256 " + printed.Groups[1].Value, out var clientFingerprint));

            var serverCertificate = DtlsCertificate.Create();
            using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(serverCertificate, clientFingerprint, sender, Timeout));
            var closed = new TaskCompletionSource<DtlsCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Handshake.Closed += reason => closed.TrySetResult(reason);
            var serverRun = server.Handshake.RunAsync(CancellationToken.None);

            var client = await PeerProcess.RunAsync("openssl",
                ["s_client", "-dtls1_2", "-connect", $"127.0.0.1:{server.EndPoint.Port}", "-use_srtp", offered,
                 "-cert", certificate, "-key", key, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", exportedLength.ToString(System.Globalization.CultureInfo.InvariantCulture), "-no_ign_eof"],
                Timeout, "openssl");
            var keys = await serverRun.WaitAsync(Timeout);
            output.WriteLine(client.StandardOutput);

            Assert.Contains("SRTP Extension negotiated, profile=" + negotiated, client.StandardOutput, StringComparison.Ordinal);
            var material = KeyingMaterialLine().Match(client.StandardOutput);
            Assert.True(material.Success, "s_client printed no keying material");
            var exported = Convert.FromHexString(material.Groups[1].Value);
            Assert.Equal(exportedLength, exported.Length);
            Assert.Equal([.. keys.ClientKey, .. keys.ServerKey, .. keys.ClientSalt, .. keys.ServerSalt], exported);
            Assert.Equal(DtlsCloseReason.CloseNotify, await closed.Task.WaitAsync(Timeout));
            output.WriteLine($"handshake with openssl: {server.Handshake.HandshakeDuration.TotalMilliseconds:0.0} ms");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [GeneratedRegex(@"Fingerprint=([0-9A-F:]{95})")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"Keying material:\s*([0-9A-F]+)")]
    private static partial Regex KeyingMaterialLine();
}
