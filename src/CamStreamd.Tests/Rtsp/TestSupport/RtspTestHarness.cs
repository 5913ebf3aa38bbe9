using System.Net;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>A hub named cam0 fed at 30 fps from a clip, served by an RtspServer on 127.0.0.1, port 0.</summary>
internal sealed class RtspTestHarness : IAsyncDisposable
{
    private RtspTestHarness(StreamHub hub, PacedPublisher publisher, RtspServer server)
    {
        Hub = hub;
        Publisher = publisher;
        Server = server;
    }

    public StreamHub Hub { get; }

    public PacedPublisher Publisher { get; }

    public RtspServer Server { get; }

    public int Port => Server.LocalEndPoint.Port;

    public string Url => $"rtsp://127.0.0.1:{Port}/cam0";

    public static RtspTestHarness Start(H264Clip clip, int maxGopFrames = 64, RtspServerOptions? options = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, int maxFrameLength = 1 << 20)
    {
        var registry = new StreamHubRegistry();
        var hub = new StreamHub("cam0", 640, 360, 30, maxFrameLength, maxGopFrames, H264RtpPacketizer.CreateRandom());
        registry.TryAdd(hub);
        var server = new RtspServer(
            (options ?? new RtspServerOptions()) with { ListenAddress = IPAddress.Loopback, Port = 0 },
            registry,
            loggerFactory ?? NullLoggerFactory.Instance);
        server.Start();
        return new RtspTestHarness(hub, new PacedPublisher(hub, clip, 30), server);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Server.DisposeAsync();
        Hub.Dispose();
    }
}
