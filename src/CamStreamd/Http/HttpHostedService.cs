using System.Net;
using System.Net.Sockets;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Rtsp;
using CamStreamd.Streams;
using CamStreamd.WebRtc.Plane;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// Runs Kestrel with the daemon's host: binds <c>http.listenAddress</c>:<c>http.port</c> on start
/// (a taken port fails the start, exit 69), serves the web page, API, MJPEG, snapshots and
/// metrics, and stops with the host. Kestrel lives in its own minimal <see cref="WebApplication"/>
/// (the empty builder: no config files, environment variables or console lifetime of its own)
/// that shares the daemon's logger factory and services.
/// </summary>
public sealed class HttpHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>
    /// Kernel send buffer of each HTTP connection (set on the listening socket; accepted sockets
    /// inherit it, and a set size turns Linux's autotuning, up to 4 MiB, off). It bounds how far a
    /// slow MJPEG viewer can fall behind before its writes wait and it starts skipping pictures,
    /// instead of watching seconds-old pictures from a deep buffer.
    /// </summary>
    public const int ConnectionSendBufferBytes = 128 * 1024;

    /// <summary>A connection that sends no request for this long (before its first, or between keep-alive requests) is closed.</summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A request's header block must be complete this long after its first byte (Kestrel's default is 30 s).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly CamStreamdOptions _options;
    private readonly StreamSupervisor _supervisor;
    private readonly RtspHostedService _rtsp;
    private readonly WebRtcHostedService? _webRtc;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<HttpHostedService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private HttpConnectionGate? _gate;
    private StreamRateSampler? _sampler;

    /// <summary>Creates the service; nothing is bound until <see cref="StartAsync"/>.</summary>
    public HttpHostedService(CamStreamdOptions options, StreamSupervisor supervisor, RtspHostedService rtsp, TimeProvider time, ILoggerFactory loggerFactory, WebRtcHostedService? webRtc = null)
    {
        _webRtc = webRtc;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _supervisor = supervisor;
        _rtsp = rtsp;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<HttpHostedService>();
    }

    /// <summary>The connection budgets (RTSP, HTTP, MJPEG viewers) as the API and metrics show them, after <see cref="StartAsync"/>.</summary>
    internal Func<IReadOnlyList<ConnectionBudget>> Budgets { get; private set; } = () => [];

    /// <summary>The bound endpoint, after <see cref="StartAsync"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Binds and starts serving. A bind failure propagates (the host exits 69).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var http = _options.Http;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = "camstreamd",
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endPoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
            socket.SendBufferSize = ConnectionSendBufferBytes;
            return socket;
        });
        var budgetLogger = _loggerFactory.CreateLogger("CamStreamd.Http");
        var gate = new HttpConnectionGate(new ConnectionBudget("http", http.MaxConnections, http.MaxConnectionsPerAddress, budgetLogger));
        var viewers = new ConnectionBudget("mjpeg", http.MaxMjpegViewers, 0, budgetLogger);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Kestrel's defaults let a silent connection sit 130 s and a header block trickle for 30 s.
            kestrel.Limits.KeepAliveTimeout = KeepAliveTimeout;
            kestrel.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
            kestrel.Listen(IPAddress.Parse(http.ListenAddress), http.Port, listen => listen.Use(gate.Admit));
        });

        var app = builder.Build();
        var sampler = new StreamRateSampler(_supervisor, _time);
        var producers = new MjpegProducers(http.Mjpeg, _loggerFactory);
        var info = new StreamInfoBuilder(sampler, producers, http.Mjpeg, _time, () => _rtsp.Server?.LocalEndPoint.Port);
        var api = new ApiEndpoints(_options, _supervisor, info, _time, _loggerFactory.CreateLogger<ApiEndpoints>());
        var mjpeg = new MjpegEndpoints(_supervisor, producers, viewers, _loggerFactory.CreateLogger<MjpegEndpoints>(), _stopping.Token);
        var plane = _webRtc?.Plane;
        Budgets = () => [.. (_rtsp.Server is { } rtsp ? [rtsp.Budget] : Array.Empty<ConnectionBudget>()), gate.Budget, viewers, .. (plane is null ? [] : new[] { plane.Budget })];
        var metrics = new MetricsWriter(_supervisor, sampler, producers, Budgets, () => _rtsp.Server?.DroppedUnanswered ?? 0, _webRtc?.Plane);
        app.Use(gate.TrackRequestAsync);
        Map(app, api, mjpeg, metrics);
        app.MapGet("/api/connections", context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            var body = new ConnectionsResponse([.. Budgets().Select(ConnectionBudgetInfo.Of)]);
            return System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, HttpJsonContext.Default.ConnectionsResponse, context.RequestAborted);
        });
        new OutputEndpoints(_options, _supervisor, _loggerFactory.CreateLogger<OutputEndpoints>()).Map(app);
        new WhepEndpoints(_supervisor, plane, _options.WebRtc).Map(app);
        app.MapGet("/api/webrtc", context => WebRtcApi.WriteAsync(context, plane));

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        _gate = gate;
        gate.Start();
        _sampler = sampler;
        sampler.Start();
        LocalEndPoint = BoundEndPoint(app);
        foreach (var host in ListenHosts.For(LocalEndPoint.Address))
        {
            _logger.Listening($"http://{host}:{LocalEndPoint.Port}/");
        }
    }

    /// <summary>Ends MJPEG viewers, then stops Kestrel (open requests get up to 5 s).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is { } app)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StopTimeout);
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }

        if (_sampler is { } sampler)
        {
            await sampler.DisposeAsync().ConfigureAwait(false);
            _sampler = null;
        }

        if (_gate is { } gate)
        {
            await gate.DisposeAsync().ConfigureAwait(false);
            _gate = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static void Map(WebApplication app, ApiEndpoints api, MjpegEndpoints mjpeg, MetricsWriter metrics)
    {
        app.MapGet("/", ServePage);
        app.MapGet("/api/health", api.HealthAsync);
        app.MapGet("/api/streams", api.ListAsync);
        app.MapPost("/api/streams", api.AddAsync);
        app.MapGet("/api/streams/{name}", api.GetAsync);
        app.MapDelete("/api/streams/{name}", api.RemoveAsync);
        app.MapPost("/api/streams/{name}/start", api.StartAsync);
        app.MapPost("/api/streams/{name}/stop", api.StopAsync);
        app.MapGet("/streams/{name}/mjpeg", mjpeg.MjpegAsync);
        app.MapGet("/streams/{name}/snapshot.jpg", mjpeg.SnapshotAsync);
        app.MapGet("/metrics", context =>
        {
            context.Response.ContentType = MetricsWriter.ContentType;
            return context.Response.WriteAsync(metrics.Write(), context.RequestAborted);
        });
    }

    private static Task ServePage(HttpContext context)
    {
        context.Response.ContentType = WebPage.ContentType;
        context.Response.ContentLength = WebPage.Utf8.Length;
        return context.Response.Body.WriteAsync(WebPage.Utf8, context.RequestAborted).AsTask();
    }

    private static IPEndPoint BoundEndPoint(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        var ip = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : IPAddress.Any;
        return new IPEndPoint(ip.AddressFamily == AddressFamily.InterNetworkV6 || ip.AddressFamily == AddressFamily.InterNetwork ? ip : IPAddress.Any, uri.Port);
    }
}
