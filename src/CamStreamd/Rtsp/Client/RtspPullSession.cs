using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CamStreamd.Configuration;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// One pull session from an upstream RTSP server (RFC 2326 §C.1 client flow): connect, OPTIONS,
/// DESCRIBE and SETUP (<see cref="RtspPullHandshake"/>), PLAY, then media into an
/// <see cref="IH264UnitReceiver"/> with keepalives before the session timeout (GET_PARAMETER when
/// the server lists it, else OPTIONS) and RTCP receiver reports; TEARDOWN when cancelled. <see cref="RunAsync"/> returns only when cancelled and throws
/// <see cref="RtspClientException"/> when the session cannot start or ends; the caller reconnects.
/// </summary>
public sealed class RtspPullSession : IInterleavedReceiver
{
    /// <summary>Session timeout assumed when the server states none (RFC 2326 §12.37).</summary>
    public const int DefaultSessionTimeoutSeconds = 60;

    private const string Cname = "camstreamd";

    /// <summary>Least time between two picture loss indications while waiting for an IDR.</summary>
    public static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromSeconds(1);

    private readonly RtspPullOptions _options;
    private readonly string _stream;
    private readonly IH264UnitReceiver _sink;
    private readonly UpstreamCounters _counters;
    private readonly ILogger _logger;
    private readonly UpstreamKeyframeRequest? _viewerRequest;
    private readonly TimeProvider _time;
    private readonly RtspPullHandshake _handshake;
    private readonly uint _reporterSsrc = BitConverter.ToUInt32(KernelRandom.GetBytes(4));
    private readonly byte[] _report = new byte[256];
    private H264RtpReceiver? _receiver;
    private (int Rtp, int Rtcp) _channels = (0, 1);
    private long _lastInterleaved;
    private readonly SupervisorWake _wake;
    private KeyframeWatch? _keyframes;

    /// <summary>Creates a session (nothing happens before <see cref="RunAsync"/>).</summary>
    /// <param name="options">URL, transport, credentials and timeouts.</param>
    /// <param name="stream">The relayed stream's name (for logs).</param>
    /// <param name="sink">Where access units go.</param>
    /// <param name="counters">Upstream totals.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="viewerRequest">IDRs the relay's viewers want, passed upstream as a PLI; or null.</param>
    /// <param name="time">Clock of the deadlines and arrival times; <see cref="TimeProvider.System"/> when null.</param>
    public RtspPullSession(RtspPullOptions options, string stream, IH264UnitReceiver sink, UpstreamCounters counters, ILogger logger, UpstreamKeyframeRequest? viewerRequest = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _stream = stream;
        _sink = sink;
        _counters = counters;
        _logger = logger;
        _viewerRequest = viewerRequest;
        _time = time ?? TimeProvider.System;
        _wake = new SupervisorWake(_time);
        _handshake = new RtspPullHandshake(options, stream, logger);
    }

    /// <summary>Raised after SETUP, before PLAY (so before any media), with the track the SDP described (its SPS/PPS seed the relay).</summary>
    public event Action<SdpH264Track>? TrackReady;

    /// <summary>How many times the supervising loop woke up (tests: an idle session wakes only at its deadlines).</summary>
    internal long SuperviseWakeups => _wake.Wakeups;

    /// <summary>True while the supervising loop waits (tests step a fake clock only while it sleeps).</summary>
    internal bool SupervisorAsleep => _wake.Asleep;

    /// <summary>Runs the session until <paramref name="cancellationToken"/> is cancelled (then TEARDOWN) or it fails (throws).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!RtspUrl.TryParse(_options.Url, out var url, out var reason))
        {
            throw new RtspClientException($"source.url: {reason}");
        }

        _counters.AddConnectAttempt();
        _counters.SetState(UpstreamState.Connecting);
        var connection = await RtspClientConnection.ConnectAsync(url.Host, url.Port, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        UdpMediaSockets? udp = null;
        string? aggregate = null;
        try
        {
            (connection, url, var describe, var publicMethods) = await _handshake.DescribeAsync(connection, url, cancellationToken).ConfigureAwait(false);
            var sdp = System.Text.Encoding.UTF8.GetString(describe.Body.Span);
            RtspPullLog.Described(_logger, _stream, url.RequestUrl, sdp);
            if (!SdpParser.TryParseH264(sdp, out var track, out reason))
            {
                throw new RtspClientException($"DESCRIBE {url.RequestUrl}: {reason}");
            }

            var baseUrl = describe.Headers["Content-Base"] ?? describe.Headers["Content-Location"] ?? url.RequestUrl;
            var server = connection.RemoteAddress.IsIPv4MappedToIPv6 ? connection.RemoteAddress.MapToIPv4() : connection.RemoteAddress;
            if (_options.UseUdp)
            {
                udp = UdpMediaSockets.Open(server.AddressFamily, _time);
            }

            (var sessionTimeout, _channels, var serverRtcp) = await RtspPullHandshake.SetupAsync(connection, RtspUrl.ResolveControl(baseUrl, track.Control), udp, server, cancellationToken).ConfigureAwait(false);
            aggregate = RtspUrl.ResolveControl(baseUrl, track.SessionControl);
            var reorder = udp is null ? null : new RtpReorderBuffer(RtpReorderBuffer.DefaultCapacity, _time.TimestampFrequency / 20);
            var receiver = new H264RtpReceiver(track.PayloadType, track.ClockRate, reorder, _options.MaxAccessUnitSize, _sink, _counters);
            _keyframes = new KeyframeWatch(receiver, _viewerRequest, _wake);
            _receiver = receiver;
            connection.SetReceiver(this);
            TrackReady?.Invoke(track);
            var play = await connection.SendAsync("PLAY", aggregate, [new("Range", "npt=0.000-")], null, cancellationToken).ConfigureAwait(false);
            RtspPullHandshake.Require(play, "PLAY", aggregate);

            var useGetParameter = publicMethods.Contains("GET_PARAMETER", StringComparer.OrdinalIgnoreCase);
            _counters.AddSession(udp is null ? "tcp" : "udp");
            _counters.SetState(UpstreamState.Playing);
            RtspPullLog.Playing(_logger, _stream, ConfigRedactor.RedactUrl(url.RequestUrl)!, udp is null ? "TCP" : "UDP", connection.SessionId ?? "-", sessionTimeout, useGetParameter ? "GET_PARAMETER" : "OPTIONS");

            using var mediaStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Over TCP the media come on the RTSP connection: there is no media task to wait on.
            var media = udp?.RunAsync(server, receiver, _keyframes.OnRtpPacket, mediaStop.Token);
            try
            {
                await SuperviseAsync(connection, udp, media, aggregate, sessionTimeout, useGetParameter, serverRtcp, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await mediaStop.CancelAsync().ConfigureAwait(false);
                udp?.Dispose();
                if (media is not null)
                {
                    await media.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested && aggregate is not null && connection.SessionId is not null && connection.Failure is null)
            {
                await TeardownAsync(connection, aggregate).ConfigureAwait(false);
            }

            udp?.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            _counters.SetState(cancellationToken.IsCancellationRequested ? UpstreamState.Stopped : UpstreamState.Retrying);
        }
    }

    /// <inheritdoc/>
    public void OnInterleaved(byte channel, ReadOnlySpan<byte> data)
    {
        var receiver = _receiver;
        if (receiver is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        if (channel == _channels.Rtp)
        {
            Interlocked.Exchange(ref _lastInterleaved, now);
            receiver.OnRtp(data, now);
            _keyframes?.OnRtpPacket();
        }
        else if (channel == _channels.Rtcp)
        {
            receiver.OnRtcp(data, now);
        }
    }

    /// <summary>
    /// Keepalives, receiver reports, keyframe requests and the media timeout, until the connection
    /// or the media ends, or cancellation. The loop sleeps until the earliest of its deadlines, or
    /// until an IDR becomes wanted (<see cref="KeyframeWatch"/>, a viewer's request): a playing
    /// session with nothing due wakes a few times per report interval, whatever the transport.
    /// </summary>
    private async Task SuperviseAsync(RtspClientConnection connection, UdpMediaSockets? udp, Task? media, string aggregate, int sessionTimeout, bool useGetParameter, IPEndPoint? serverRtcp, CancellationToken cancellationToken)
    {
        // Keepalive at half the session timeout (at least every second), as most clients do.
        var keepaliveEvery = TimeSpan.FromSeconds(Math.Max(1, sessionTimeout / 2.0));
        var started = _time.GetTimestamp();
        var nextKeepalive = started + ToTicks(keepaliveEvery);
        var nextReport = started + ToTicks(TimeSpan.FromSeconds(1));
        var nextKeyframeRequest = started;
        var mediaTimeout = ToTicks(_options.MediaTimeout);
        _viewerRequest?.Attach(_wake.Wake);
        try
        {
            while (true)
            {
                _wake.Rearm();
                if (connection.Closed.IsCompleted)
                {
                    throw new RtspClientException($"{ConfigRedactor.RedactUrl(aggregate)}: {connection.Failure?.Message ?? "the connection ended"}");
                }

                if (media is { IsFaulted: true })
                {
                    throw new RtspClientException($"{ConfigRedactor.RedactUrl(aggregate)}: receiving UDP failed ({media.Exception?.InnerException?.Message})");
                }

                var now = _time.GetTimestamp();
                var last = udp?.LastPacketTimestamp ?? Interlocked.Read(ref _lastInterleaved);
                var quietSince = last == 0 ? started : last;
                if (now - quietSince > mediaTimeout)
                {
                    throw new RtspClientException(string.Create(CultureInfo.InvariantCulture, $"{ConfigRedactor.RedactUrl(aggregate)}: no RTP for {_options.MediaTimeout.TotalSeconds:0.#} s"));
                }

                // While the relay waits for an IDR (at the start, after loss) or a viewer wants one, a
                // PLI asks the upstream's encoder for one now instead of at the end of its GOP; at most
                // once per interval, as the encoder may take a frame or two to react.
                var askForKeyframe = _keyframes!.Watch() && now >= nextKeyframeRequest;
                if (now >= nextReport || askForKeyframe)
                {
                    nextReport = now + ToTicks(_options.ReportInterval);
                    if (askForKeyframe)
                    {
                        nextKeyframeRequest = now + ToTicks(KeyframeRequestInterval);
                        _viewerRequest?.Clear();
                    }

                    await SendReportAsync(connection, udp, serverRtcp, now, askForKeyframe, cancellationToken).ConfigureAwait(false);
                }

                if (now >= nextKeepalive)
                {
                    nextKeepalive = now + ToTicks(keepaliveEvery);
                    useGetParameter = await KeepAliveAsync(connection, aggregate, useGetParameter, cancellationToken).ConfigureAwait(false);
                }

                // The media timeout is checked when it would expire; RTP since then moves it on.
                var deadline = Math.Min(Math.Min(nextKeepalive, nextReport), quietSince + mediaTimeout + 1);
                if (_keyframes.Watch())
                {
                    deadline = Math.Min(deadline, nextKeyframeRequest);
                }

                await _wake.SleepUntilAsync(deadline, connection.Closed, media, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _viewerRequest?.Attach(null);
        }
    }

    /// <summary>GET_PARAMETER (or OPTIONS) on the session; returns whether to keep using GET_PARAMETER.</summary>
    private async Task<bool> KeepAliveAsync(RtspClientConnection connection, string aggregate, bool useGetParameter, CancellationToken cancellationToken)
    {
        var method = useGetParameter ? "GET_PARAMETER" : "OPTIONS";
        var reply = await connection.SendAsync(method, aggregate, null, null, cancellationToken).ConfigureAwait(false);
        _counters.AddKeepalive();
        if (reply.StatusCode is RtspStatus.SessionNotFound)
        {
            throw new RtspClientException($"{method} {ConfigRedactor.RedactUrl(aggregate)}: the server forgot the session ({reply})");
        }

        // A server that lists GET_PARAMETER but refuses it gets OPTIONS from now on.
        return useGetParameter && reply.StatusCode is not (RtspStatus.MethodNotAllowed or RtspStatus.NotImplemented);
    }

    private async Task SendReportAsync(RtspClientConnection connection, UdpMediaSockets? udp, IPEndPoint? serverRtcp, long now, bool pictureLoss, CancellationToken cancellationToken)
    {
        var length = _receiver!.WriteReceiverReport(_report, _reporterSsrc, Cname, now, pictureLoss);
        if (length == 0)
        {
            return;
        }

        if (udp is null)
        {
            await connection.SendInterleavedAsync((byte)_channels.Rtcp, _report.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        else if (serverRtcp is not null)
        {
            await udp.SendRtcpAsync(_report.AsMemory(0, length), serverRtcp, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return;
        }

        _counters.AddReceiverReport();
        if (pictureLoss)
        {
            _counters.AddKeyframeRequest();
            RtspPullLog.KeyframeRequested(_logger, _stream);
        }
    }

    private async Task TeardownAsync(RtspClientConnection connection, string aggregate)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await connection.SendAsync("TEARDOWN", aggregate, null, null, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RtspClientException or OperationCanceledException or IOException or ObjectDisposedException or SocketException)
        {
            RtspPullLog.TeardownFailed(_logger, _stream, ConfigRedactor.RedactUrl(aggregate)!, e.Message);
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
