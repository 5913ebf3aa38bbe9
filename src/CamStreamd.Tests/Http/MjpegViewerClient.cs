using System.Net;

namespace CamStreamd.Tests.Http;

/// <summary>An MJPEG viewer from a chosen address that keeps reading parts in the background and counts them.</summary>
internal sealed class MjpegViewerClient : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _parts;

    private MjpegViewerClient(HttpClient client, HttpResponseMessage response, Stream body)
    {
        _client = client;
        _response = response;
        _reader = Task.Run(() => ReadAsync(body));
    }

    public long Parts => Interlocked.Read(ref _parts);

    public bool Open => !_reader.IsCompleted;

    /// <summary>Requests the stream; the viewer when it is served (200), else the refusal's status.</summary>
    public static async Task<(MjpegViewerClient? Viewer, HttpStatusCode Status)> TryStartAsync(Uri baseAddress, IPAddress from, string path = "/streams/cam0/mjpeg")
    {
        var client = BoundHttpClient.Create(baseAddress, from);
        var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.StatusCode;
            response.Dispose();
            client.Dispose();
            return (null, status);
        }

        return (new MjpegViewerClient(client, response, await response.Content.ReadAsStreamAsync()), HttpStatusCode.OK);
    }

    /// <summary>Waits until <paramref name="more"/> parts beyond <paramref name="since"/> arrived (10 s without one fails).</summary>
    public async Task AssertStillPlayingAsync(long since, int more = 3)
    {
        var last = Parts;
        var lastProgress = DateTime.UtcNow;
        while (Parts < since + more)
        {
            Assert.True(Open, $"the MJPEG viewer was disconnected after {Parts} parts");
            if (Parts != last)
            {
                (last, lastProgress) = (Parts, DateTime.UtcNow);
            }

            Assert.True(DateTime.UtcNow - lastProgress < TimeSpan.FromSeconds(10), $"no MJPEG part for 10 s after {Parts}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _response.Dispose();
        _client.Dispose();
        _reader.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ReadAsync(Stream body)
    {
        var reader = new MjpegPartReader(new BufferedStream(body), "camstreamd-frame");
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await reader.ReadAsync(_stop.Token);
                Interlocked.Increment(ref _parts);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException or FormatException or EndOfStreamException)
        {
            // Ended.
        }
    }
}
