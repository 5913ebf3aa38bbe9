using System.Net;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>
/// A viewer that plays over TCP from a chosen loopback address and keeps reading in the
/// background (so the server never sees it stall), counting the RTP packets it gets.
/// </summary>
internal sealed class PlayingViewer : IDisposable
{
    private readonly RtspWireClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _packets;

    private PlayingViewer(RtspWireClient client)
    {
        _client = client;
        _reader = Task.Run(ReadAsync);
    }

    /// <summary>RTP packets received so far.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>False once the server closed the connection.</summary>
    public bool Open => !_reader.IsCompleted;

    public static async Task<PlayingViewer> StartAsync(int port, string url, IPAddress from)
    {
        var client = await RtspWireClient.ConnectAsync(port, from: from);
        var setup = await client.RequestAsync("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.Equal(200, setup.Status);
        Assert.Equal(200, (await client.RequestAsync("PLAY", url, 2, "Session: " + setup.Session)).Status);
        return new PlayingViewer(client);
    }

    /// <summary>Waits until <paramref name="more"/> packets beyond <paramref name="since"/> arrived (bounded by progress: 10 s without one fails).</summary>
    public async Task AssertStillPlayingAsync(long since, int more = 30)
    {
        var last = Packets;
        var lastProgress = DateTime.UtcNow;
        while (Packets < since + more)
        {
            Assert.True(Open, $"the playing viewer was disconnected after {Packets} packets");
            if (Packets != last)
            {
                (last, lastProgress) = (Packets, DateTime.UtcNow);
            }

            Assert.True(DateTime.UtcNow - lastProgress < TimeSpan.FromSeconds(10), $"no RTP for 10 s after {Packets} packets");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _client.Dispose();
        _reader.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested && await _client.ReadFrameAsync() is { } frame)
            {
                if (frame.Channel == 0)
                {
                    Interlocked.Increment(ref _packets);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed.
        }
    }
}
