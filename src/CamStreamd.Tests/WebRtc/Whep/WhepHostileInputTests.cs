using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Tests.Http;
using CamStreamd.Tests.WebRtc.Plane;

namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>
/// WHEP and the WebRTC UDP port against hostile input on a real daemon: malformed offers, offers
/// without video or without H.264, wrong content types, unknown streams and sessions, random
/// datagrams and DTLS garbage, STUN with a wrong MESSAGE-INTEGRITY or an unknown ufrag, and a flood
/// of offers that never connect (held to the per-address share of webrtc.maxSessions, then
/// reaped). After each, an ffprobe RTSP client still reads the stream and a new offer is answered.
/// </summary>
[Collection(WebRtcDaemonGroup.Name)]
public sealed class WhepHostileInputTests(WebRtcDaemonFixture fixture)
{
    [Fact]
    public async Task Bad_offers_get_400_415_404_with_the_reason_and_cors_headers()
    {
        await AssertProblemAsync(await PostAsync("cam0", "v=0\r\ngarbage\r\n"), 400, "not type=value");
        await AssertProblemAsync(await PostAsync("cam0", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n"), 400, "no video");
        await AssertProblemAsync(await PostAsync("cam0", WebRtcTestOffers.Chromium.Replace("H264/90000", "H265/90000", StringComparison.Ordinal)), 400, "offered: none");
        await AssertProblemAsync(await PostAsync("cam0", WebRtcTestOffers.Chromium, "application/json"), 415, "application/sdp");
        await AssertProblemAsync(await PostAsync("nosuch", WebRtcTestOffers.Chromium), 404, "nosuch");
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, "/streams/cam0/whep/0123456789abcdef") { Content = new StringContent("a=end-of-candidates", System.Text.Encoding.ASCII, "application/trickle-ice-sdpfrag") })
        {
            await AssertProblemAsync(await fixture.Client.SendAsync(patch), 404, "no WebRTC session");
        }

        using var options = new HttpRequestMessage(HttpMethod.Options, "/streams/cam0/whep");
        options.Headers.Add("Origin", "https://viewer.example.com");
        using var preflight = await fixture.Client.SendAsync(options);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Location", preflight.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("application/sdp", preflight.Headers.GetValues("Accept-Post").Single());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task An_offer_is_answered_patch_is_204_and_delete_ends_it()
    {
        using var response = await PostAsync("cam0", WebRtcTestOffers.Chromium);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/sdp", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.ETag);
        var location = response.Headers.Location!.ToString();
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains($" {fixture.WebRtcPort} typ host", answer, StringComparison.Ordinal);
        using (var patch = new HttpRequestMessage(HttpMethod.Patch, location) { Content = new StringContent("a=end-of-candidates\r\n", System.Text.Encoding.ASCII, "application/trickle-ice-sdpfrag") })
        using (var patched = await fixture.Client.SendAsync(patch))
        {
            Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        }

        using var deleted = await fixture.Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var again = await fixture.Client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Random_datagrams_dtls_garbage_and_bad_stun_are_dropped_and_counted()
    {
        using var response = await PostAsync("cam0", WebRtcTestOffers.Chromium);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = await response.Content.ReadAsStringAsync();
        var ufrag = answer.Split("\r\n").Single(l => l.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))[12..];
        var before = await DroppedAsync();

        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = new IPEndPoint(IPAddress.Loopback, fixture.WebRtcPort);
        var random = new Random(16);
        var sent = 0;
        for (var i = 0; i < 2000; i++)
        {
            var datagram = new byte[random.Next(1, 1400)];
            random.NextBytes(datagram);
            if (i % 4 == 1)
            {
                datagram[0] = (byte)random.Next(20, 64); // DTLS-looking
            }
            else if (i % 4 == 2)
            {
                datagram[0] = (byte)random.Next(128, 192); // RTP/RTCP-looking
            }

            await udp.SendAsync(datagram, port);
            sent++;

            // In batches the port's 1 MiB receive buffer holds even while its reader waits for a
            // CPU (a loaded CI machine): a datagram the kernel drops is never counted.
            if (sent % 250 == 0)
            {
                var batch = sent;
                await fixture.WaitUntilAsync(async () => await DroppedAsync() - before >= batch, $"{batch} datagrams counted as dropped", TimeSpan.FromSeconds(20));
            }
        }

        // STUN checks with a wrong password and with an unknown ufrag.
        var check = new byte[512];
        var length = CamStreamd.WebRtc.Ice.StunWriter.WriteBindingRequest(check, new byte[12], System.Text.Encoding.ASCII.GetBytes($"{ufrag}:lF/8"), 1, 1, true, System.Text.Encoding.UTF8.GetBytes("not-the-password-at-all!"), new byte[1500]);
        await udp.SendAsync(check.AsMemory(0, length), port);
        length = CamStreamd.WebRtc.Ice.StunWriter.WriteBindingRequest(check, new byte[12], "zzzzzzzz:lF/8"u8, 1, 1, true, System.Text.Encoding.UTF8.GetBytes("not-the-password-at-all!"), new byte[1500]);
        await udp.SendAsync(check.AsMemory(0, length), port);
        sent += 2;

        // Every one is counted as dropped (bound by progress: the counters reach the number sent).
        await fixture.WaitUntilAsync(async () => await DroppedAsync() - before >= sent, $"{sent} datagrams counted as dropped", TimeSpan.FromSeconds(20));
        var dropped = (await fixture.GetJsonAsync("/api/webrtc")).GetProperty("dropped");
        Assert.True(dropped.GetProperty("badIntegrity").GetInt64() >= 1);
        Assert.True(dropped.GetProperty("unknownUfrag").GetInt64() >= 1);

        // The same counters in /metrics, through the strict exposition parser.
        var metrics = await fixture.Client.GetStringAsync("/metrics");
        _ = PrometheusTextParser.Parse(metrics);
        Assert.Contains("camstreamd_webrtc_datagrams_dropped_total{reason=\"badIntegrity\"} ", metrics, StringComparison.Ordinal);
        Assert.Contains("camstreamd_clients{stream=\"cam0\",protocol=\"webrtc\"} ", metrics, StringComparison.Ordinal);
        using var deleted = await fixture.Client.DeleteAsync(response.Headers.Location);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_flood_of_offers_that_never_connect_is_held_to_the_address_share_and_reaped()
    {
        // From 127.0.0.3 (a quarter of maxSessions); the fixture's other clients use 127.0.0.1. A session
        // that has not connected for 3 s may make room for a newcomer, so a slow flood replaces its own.
        using var flood = BoundHttpClient.Create(fixture.Daemon.HttpBase, IPAddress.Parse("127.0.0.3"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            using var content = new StringContent(WebRtcTestOffers.Chromium, System.Text.Encoding.ASCII, "application/sdp");
            using var response = await flood.PostAsync("/streams/cam0/whep", content);
            statuses.Add(response.StatusCode);
        }

        var share = WebRtcDaemonFixture.MaxSessions / 4;
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"status {s}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.ServiceUnavailable) >= 20, $"only {statuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} of 40 refused");
        Assert.True(await fixture.SessionsAsync() <= share, "the flood holds more than its address's share");

        // Everyone else is served meanwhile, and the flood's sessions are reaped (10 s without a check).
        await AssertStillServingAsync();
        await fixture.WaitUntilAsync(async () => await fixture.SessionsAsync() == 0, "the never-connected sessions reaped", TimeSpan.FromSeconds(30));
    }

    private async Task<HttpResponseMessage> PostAsync(string stream, string body, string contentType = "application/sdp")
    {
        using var content = new StringContent(body, System.Text.Encoding.ASCII);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await fixture.Client.PostAsync($"/streams/{stream}/whep", content);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, int status, string detail)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
            Assert.Contains(detail, body, StringComparison.Ordinal);
            Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
    }

    private async Task<long> DroppedAsync()
    {
        var dropped = (await fixture.GetJsonAsync("/api/webrtc")).GetProperty("dropped");
        return dropped.EnumerateObject().Sum(p => p.Value.GetInt64());
    }

    // An RTSP client reads the stream and a new offer (from 127.0.0.1) is answered and deleted.
    private async Task AssertStillServingAsync()
    {
        var info = new ProcessStartInfo("ffprobe") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-v", "error", "-rtsp_transport", "tcp", "-select_streams", "v", "-show_entries", "stream=width,height", "-of", "csv=p=0", $"rtsp://127.0.0.1:{fixture.Daemon.RtspPort}/cam0" })
        {
            info.ArgumentList.Add(arg);
        }

        using var probe = Process.Start(info)!;
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync();
        Assert.Equal($"{WebRtcDaemonFixture.Width},{WebRtcDaemonFixture.Height}", output.Trim());

        using var response = await PostAsync("cam0", WebRtcTestOffers.Chromium);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var deleted = await fixture.Client.DeleteAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
    }
}
