using CamStreamd.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// rtsps:// (RTSP over TLS): gst-rtsp-server in RECORD mode with a certificate made by the test
/// records what we publish when the daemon trusts it (SSL_CERT_FILE), and a server whose
/// certificate is not trusted is refused, naming the certificate.
/// </summary>
public sealed class RtspsPublishTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-rtsps-").FullName;
    private readonly ITestOutputHelper _output;
    private GstRecordServerProcess? _trusted;
    private GstRecordServerProcess? _untrusted;

    public RtspsPublishTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        var trusted = await MakeCertificateAsync("trusted");
        var untrusted = await MakeCertificateAsync("untrusted");
        _trusted = await GstRecordServerProcess.StartAsync(Path.Combine(_directory, "trusted"), "tcp", tls: trusted);
        _untrusted = await GstRecordServerProcess.StartAsync(Path.Combine(_directory, "untrusted"), "tcp", tls: untrusted);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in (GstRecordServerProcess?[])[_trusted, _untrusted])
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_trusted_rtsps_server_records_what_we_publish_and_an_untrusted_one_is_refused()
    {
        Assert.StartsWith("rtsps://", _trusted!.Url, StringComparison.Ordinal);
        var config = $$"""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
              "http": { "listenAddress": "127.0.0.1", "port": 0 },
              "streams": [
                {{PublishFixture.Stream("tls", $"{{ \"url\": \"{_trusted.Url}\" }}")}},
                {{PublishFixture.Stream("untrusted", $"{{ \"url\": \"{_untrusted!.Url}\" }}")}}
              ]
            }
            """;
        await using var daemon = await DaemonProcess.StartAsync(config, environment: new Dictionary<string, string> { ["SSL_CERT_FILE"] = Path.Combine(_directory, "trusted.pem") });
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        await Recording.RecordingTests.WaitUntilAsync(async () => (await Target(api, "tls")).GetProperty("framesSent").GetInt64() >= 150, "150 frames over rtsps", TimeSpan.FromSeconds(60), daemon);
        await Recording.RecordingTests.WaitUntilAsync(async () => (await Target(api, "untrusted")).GetProperty("failures").GetInt64() >= 1, "the untrusted server refused", TimeSpan.FromSeconds(30), daemon);

        var (frames, width, height, _) = await H264Probe.CountAsync(Assert.Single(_trusted.Files));
        var refused = await Target(api, "untrusted");
        _output.WriteLine($"rtsps: {frames} frames recorded; untrusted: {refused}");
        Assert.True(frames >= 120, $"{frames} frames recorded over rtsps");
        Assert.Equal((PublishFixture.Width, PublishFixture.Height), (width, height));
        Assert.Contains("certificate", refused.GetProperty("lastError").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, refused.GetProperty("sessions").GetInt64());
        Assert.Empty(_untrusted.Files);
    }

    private static async Task<System.Text.Json.JsonElement> Target(HttpClient api, string stream) =>
        (await Recording.RecordingTests.GetJsonAsync(api, $"/api/streams/{stream}")).GetProperty("publish")[0];

    private async Task<(string Cert, string Key)> MakeCertificateAsync(string name)
    {
        var cert = Path.Combine(_directory, name + ".pem");
        var key = Path.Combine(_directory, name + ".key");
        var result = await PeerProcess.RunAsync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], TimeSpan.FromSeconds(30), "openssl");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return (cert, key);
    }
}
