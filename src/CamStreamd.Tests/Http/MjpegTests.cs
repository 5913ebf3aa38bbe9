using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CamStreamd.Tests.Http;

/// <summary>MJPEG and snapshots from a running daemon, read as a strict multipart parser and a real decoder see them.</summary>
[Collection(HttpDaemonGroup.Name)]
public sealed class MjpegTests(HttpDaemonFixture fixture)
{
    private const string Boundary = "camstreamd-frame";

    [Fact]
    public async Task Mjpeg_parts_are_jpegs_of_the_streams_size_with_their_length()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await fixture.Client.GetAsync("/streams/cam0/mjpeg", HttpCompletionOption.ResponseHeadersRead, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("multipart/x-mixed-replace", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Boundary, response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "boundary").Value);
        var reader = new MjpegPartReader(new BufferedStream(await response.Content.ReadAsStreamAsync(cts.Token)), Boundary);
        var pictures = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var part = await reader.ReadAsync(cts.Token);
            Assert.Equal("image/jpeg", part.Headers["content-type"]);
            Assert.Equal((HttpDaemonFixture.Width, HttpDaemonFixture.Height), JpegHeader.ReadSize(part.Body));
            pictures.Add(part.Body);
        }

        // The test pattern moves: consecutive pictures differ.
        Assert.True(pictures.Zip(pictures.Skip(1)).Count(p => !p.First.AsSpan().SequenceEqual(p.Second)) >= 4, "MJPEG pictures do not change");
    }

    [Fact]
    public async Task Two_viewers_keep_their_rate_while_a_third_never_reads_and_each_picture_is_encoded_once()
    {
        // The stalled viewer: a socket that asks for the stream and never reads. Once the
        // buffers between (a few hundred KB) are full, the daemon's writes to it wait: the
        // stream's sent-frame total (only this viewer watches) stops growing.
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(IPAddress.Loopback, fixture.Daemon.HttpPort);
        await stalled.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET /streams/cam0/mjpeg HTTP/1.1\r\nHost: 127.0.0.1:{fixture.Daemon.HttpPort}\r\n\r\n"));
        await HttpDaemonFixture.WaitUntilAsync(async () => await MjpegClientsAsync() == 1, "the stalled viewer counted");
        var sent = await FramesSentAsync();
        await HttpDaemonFixture.WaitUntilAsync(
            async () =>
            {
                await Task.Delay(700);
                var now = await FramesSentAsync();
                (var before, sent) = (sent, now);
                return now == before && now > 0;
            },
            "the daemon's writes to the stalled viewer to block");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var first = await fixture.Client.GetAsync("/streams/cam0/mjpeg", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var second = await fixture.Client.GetAsync("/streams/cam0/mjpeg", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var readers = new[] { first, second }.Select(async r => new MjpegPartReader(new BufferedStream(await r.Content.ReadAsStreamAsync(cts.Token)), Boundary)).ToArray();
        var a = await readers[0];
        var b = await readers[1];

        // Skip the first part of each (the picture that was latest when it joined).
        await a.ReadAsync(cts.Token);
        await b.ReadAsync(cts.Token);
        Assert.Equal(3, await MjpegClientsAsync());
        var encodedBefore = await PicturesEncodedAsync();
        var window = TimeSpan.FromSeconds(3);
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(CountPartsAsync(a, window, cts.Token), CountPartsAsync(b, window, cts.Token));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var encoded = await PicturesEncodedAsync() - encodedBefore;

        var expected = HttpDaemonFixture.MjpegFps * elapsed;
        Assert.All(counts, count => Assert.True(count >= 0.7 * expected, $"a viewer got {count} pictures in {elapsed:F1} s, expected about {expected:F0} (counts {string.Join(", ", counts)})"));

        // One encode per picture, not one per viewer: three viewers, about MjpegFps pictures a second.
        Assert.InRange(encoded, 0.7 * expected, 1.3 * expected + 2);

        // The daemon cuts the stalled viewer off after 10 s without progress; the others stay.
        await HttpDaemonFixture.WaitUntilAsync(async () => await MjpegClientsAsync() == 2, "the stalled viewer disconnected by the daemon");
        await a.ReadAsync(cts.Token);
        await b.ReadAsync(cts.Token);

        first.Dispose();
        second.Dispose();
        stalled.Close();
        await HttpDaemonFixture.WaitUntilAsync(async () => await MjpegClientsAsync() == 0, "every MJPEG viewer gone");
        await HttpDaemonFixture.WaitUntilAsync(
            async () => !(await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("mjpeg").GetProperty("active").GetBoolean(),
            "the MJPEG producer stopped with no viewers");
    }

    [Fact]
    public async Task A_snapshot_is_one_jpeg_of_the_streams_size_that_ffprobe_decodes()
    {
        using var response = await fixture.Client.GetAsync("/streams/cam0/snapshot.jpg");
        var jpeg = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(jpeg.Length, response.Content.Headers.ContentLength);
        Assert.Equal((HttpDaemonFixture.Width, HttpDaemonFixture.Height), JpegHeader.ReadSize(jpeg));

        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-snapshot-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(path, jpeg);
        try
        {
            var probe = await PeerProcess.RunAsync(
                "ffprobe",
                ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path],
                TimeSpan.FromSeconds(20),
                "ffmpeg");
            Assert.True(probe.ExitCode == 0, probe.StandardError);
            Assert.Equal("mjpeg,640,480", probe.StandardOutput.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Mjpeg_and_snapshot_of_an_unknown_stream_are_404()
    {
        foreach (var path in new[] { "/streams/nope/mjpeg", "/streams/nope/snapshot.jpg" })
        {
            using var response = await fixture.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static async Task<int> CountPartsAsync(MjpegPartReader reader, TimeSpan window, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var count = 0;
        while (stopwatch.Elapsed < window)
        {
            var part = await reader.ReadAsync(cancellationToken);
            Assert.Equal((HttpDaemonFixture.Width, HttpDaemonFixture.Height), JpegHeader.ReadSize(part.Body));
            count++;
        }

        return count;
    }

    private async Task<int> MjpegClientsAsync() =>
        (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("clients").GetProperty("mjpeg").GetInt32();

    private async Task<long> FramesSentAsync() =>
        (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("frames").GetProperty("sent").GetInt64();

    private async Task<long> PicturesEncodedAsync() =>
        (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("mjpeg").GetProperty("picturesEncoded").GetInt64();
}
