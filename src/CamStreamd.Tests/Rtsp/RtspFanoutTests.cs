using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// The stream's one send path (<see cref="RtspFanout"/>): one pass per published frame, run by the
/// publishing thread, serves every viewer, TCP and UDP alike; a viewer whose socket fills drains on
/// its own and comes back.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspFanoutTests
{
    private const int TcpViewers = 8;
    private const int UdpViewers = 4;

    private readonly RtspClipFixture _clips;

    public RtspFanoutTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Every_viewer_gets_every_frame_from_one_pass_per_frame_not_one_wake_per_viewer()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var stop = new CancellationTokenSource();
        var frames = new long[TcpViewers + UdpViewers];
        var gaps = new long[TcpViewers + UdpViewers];
        var clients = new List<IDisposable>();
        var readers = new List<Task>();
        try
        {
            for (var i = 0; i < TcpViewers; i++)
            {
                var client = new RawRtspClient(harness.Port);
                clients.Add(client);
                var session = (await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
                Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
                readers.Add(ReadTcpAsync(client, i, frames, gaps, stop.Token));
            }

            for (var i = TcpViewers; i < frames.Length; i++)
            {
                var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
                clients.Add(rtp);
                rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
                var client = new RawRtspClient(harness.Port);
                clients.Add(client);
                var session = (await client.RequestAsync("SETUP", harness.Url + "/trackID=0", $"Transport: RTP/AVP;unicast;client_port={port}-{port + 1}"))["Session"]!.Split(';')[0];
                Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
                readers.Add(ReadUdpAsync(rtp, i, frames, gaps, stop.Token));
            }

            // Every viewer is under way (its cached GOP arrived), bounded by progress.
            await WaitUntilAsync(() => frames.All(f => Interlocked.Read(ref f) >= 10), "every viewer has 10 frames");
            var fanout = harness.Server.Fanouts.For(harness.Hub);
            Assert.Equal(frames.Length, fanout.ViewerCount);
            var passesBefore = fanout.Passes;
            var publishedBefore = harness.Publisher.Published;
            var framesBefore = frames.Select(f => Interlocked.Read(ref f)).ToArray();

            // A handler after the fan-out's, on the publishing thread: the unit's pass is already
            // done there, because the publisher runs it (a wake of the fan-out's loop would come later).
            long offered = 0, passedBeforeReturn = 0, lastPasses = fanout.Passes;
            void AfterFanout()
            {
                var now = fanout.Passes;
                Interlocked.Increment(ref offered);
                if (now != Interlocked.Exchange(ref lastPasses, now))
                {
                    Interlocked.Increment(ref passedBeforeReturn);
                }
            }

            harness.Hub.UnitsOffered += AfterFanout;
            await WaitUntilAsync(() => harness.Publisher.Published >= publishedBefore + 60, "60 more frames published");
            harness.Hub.UnitsOffered -= AfterFanout;
            var passes = fanout.Passes - passesBefore;
            var published = harness.Publisher.Published - publishedBefore;
            Assert.True(
                Interlocked.Read(ref passedBeforeReturn) * 10 >= Interlocked.Read(ref offered) * 8,
                $"{passedBeforeReturn} of {offered} units were sent before their publish returned");

            // One pass per frame for all 12 viewers (a pass can serve two frames when the machine
            // lags, and a drain that ends asks for one more); a wake-up per viewer would be 12 per frame.
            Assert.True(passes <= published + 4, $"{passes} passes for {published} frames and {frames.Length} viewers");
            Assert.True(passes > 0, "no pass ran");
            await WaitUntilAsync(
                () => frames.Select((f, i) => Interlocked.Read(ref frames[i]) - framesBefore[i]).All(d => d >= published - 5),
                "every viewer received the frames published meanwhile");
            Assert.All(gaps.Take(TcpViewers), g => Assert.Equal(0, g));
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var client in clients)
            {
                client.Dispose();
            }

            await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Fact]
    public async Task A_viewer_whose_socket_fills_drains_on_its_own_and_comes_back_to_the_pass()
    {
        // Small buffers both ends: 2 s without reading overfill them, well within the stall timeout.
        var options = new RtspServerOptions { SocketSendBufferSize = 16 * 1024, SendStallTimeout = TimeSpan.FromSeconds(10) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using var paused = new RawRtspClient(harness.Port, receiveBufferSize: 16 * 1024);
        var id = (await paused.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
        Assert.Equal(200, (await paused.RequestAsync("PLAY", harness.Url, "Session: " + id)).Status);
        Assert.True(harness.Server.TryGetSession(id, out var session));

        using var good = new RawRtspClient(harness.Port);
        var goodId = (await good.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
        Assert.Equal(200, (await good.RequestAsync("PLAY", harness.Url, "Session: " + goodId)).Status);

        // While one viewer reads nothing, the other gets every packet in order.
        ushort? previous = null;
        var goodFrames = 0;
        while (session.Sender.Drains == 0 || goodFrames < 30)
        {
            var (channel, data) = await good.ReadInterleavedAsync().WaitAsync(TimeSpan.FromSeconds(10));
            if (channel != 0)
            {
                continue;
            }

            var seq = (ushort)((data[2] << 8) | data[3]);
            Assert.True(previous is null || seq == (ushort)(previous + 1), $"good viewer: {seq} after {previous}");
            previous = seq;
            goodFrames += (data[1] & 0x80) != 0 ? 1 : 0;
            Assert.True(goodFrames < 600, "the paused viewer's socket never filled");
        }

        // The paused viewer reads again: it catches up and is served by the passes once more
        // (not draining, frames still counted, no new drain), bounded by progress.
        using var stop = new CancellationTokenSource();
        var frames = new long[1];
        var gaps = new long[1];
        var reader = ReadTcpAsync(paused, 0, frames, gaps, stop.Token);
        try
        {
            await WaitUntilAsync(() => Interlocked.Read(ref frames[0]) >= 30, "the paused viewer receives again");
            long drains = 0, sent = 0;
            await WaitUntilAsync(
                () =>
                {
                    // Two looks 10 frames apart with no drain between them: served by the passes.
                    if (session.Sender.IsDraining)
                    {
                        sent = 0;
                        return false;
                    }

                    if (sent == 0 || session.Sender.Drains != drains)
                    {
                        (drains, sent) = (session.Sender.Drains, session.FramesSent);
                        return false;
                    }

                    return session.FramesSent >= sent + 10;
                },
                "the viewer is back in the passes");
        }
        finally
        {
            await stop.CancelAsync();
            paused.Dispose();
            await reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    [Fact]
    public async Task A_direct_write_to_a_reset_connection_returns_gone_and_aborts_it()
    {
        // The fan-out's write found ECONNRESET and aborted the connection while it still held the
        // socket handle's reference: closing waits for that reference, so the pass spun for ever,
        // every Remove waited on it and no session of the stream could end (seen in the vivid guest).
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync(listener.LocalEndPoint!);
        var accepted = await listener.AcceptAsync();
        var connection = new RtspConnection(harness.Server, accepted, 1, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        try
        {
            // Linger 0: Close sends RST; the accepted socket turns readable once it has arrived.
            peer.LingerState = new LingerOption(true, 0);
            peer.Close();
            Assert.True(accepted.Poll(TimeSpan.FromSeconds(30), SelectMode.SelectRead), "no RST within 30 s");

            var payload = new byte[1400];
            var write = Task.Run(() => connection.TrySendNow(payload));
            Assert.Equal(-1, await write.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(-1, connection.TrySendNow(payload));
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static async Task ReadTcpAsync(RawRtspClient client, int index, long[] frames, long[] gaps, CancellationToken cancellationToken)
    {
        ushort? previous = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (channel, data) = await client.ReadInterleavedAsync().WaitAsync(cancellationToken);
                if (channel != 0)
                {
                    continue;
                }

                Count(data, index, ref previous, frames, gaps);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            // The test ended the client.
        }
    }

    private static async Task ReadUdpAsync(Socket socket, int index, long[] frames, long[] gaps, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        ushort? previous = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (length >= 12)
                {
                    Count(buffer.AsSpan(0, length), index, ref previous, frames, gaps);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test ended the client.
        }
    }

    private static void Count(ReadOnlySpan<byte> rtp, int index, ref ushort? previous, long[] frames, long[] gaps)
    {
        var seq = (ushort)((rtp[2] << 8) | rtp[3]);
        if (previous is { } p && seq != (ushort)(p + 1))
        {
            Interlocked.Increment(ref gaps[index]);
        }

        previous = seq;
        if ((rtp[1] & 0x80) != 0)
        {
            Interlocked.Increment(ref frames[index]);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // Bounded: 1200 looks 25 ms apart (30 s) covers a loaded CI machine; progress ends it sooner.
        for (var i = 0; i < 1200; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"not within 30 s: {what}");
    }
}
