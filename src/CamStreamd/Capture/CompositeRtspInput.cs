using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Client;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Capture;

/// <summary>
/// A composite input pulled from an RTSP camera with the relay's client (<see cref="RtspPullSession"/>)
/// and the relay's backoff (a retry 1 s after a loss, doubling to 30 s, back to 1 s after a session
/// that played). Each access unit is decoded on the session's receive thread, as it arrives, and
/// the picture is moved into the slot by reference; the compositor takes the newest. A decode
/// failure asks the camera for an IDR (RTCP PLI), so the picture recovers at once, not at the
/// end of the camera's GOP. Nothing is queued: a slow decoder slows only its own session.
/// </summary>
internal sealed partial class CompositeRtspInput : ICompositeInput, IH264UnitReceiver
{
    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private readonly RtspPullOptions _options;
    private readonly string _logName;
    private readonly UpstreamCounters _upstream;
    private readonly ILogger _logger;
    private readonly UpstreamKeyframeRequest _keyframeRequest = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _decoderLock = new();
    private H264Decoder? _decoder;
    private long _failuresSeen;
    private bool _disposed;
    private Task? _loop;

    public CompositeRtspInput(string stream, string name, RtspPullOptions options, PictureSlot slot, ILogger logger)
    {
        _options = options;
        _logName = $"{stream}/{name}";
        _logger = logger;
        _upstream = new UpstreamCounters();
        Slot = slot;
        Counters = new CompositeInputCounters(name, "url", ConfigRedactor.RedactUrl(options.Url) ?? string.Empty) { Upstream = _upstream };
    }

    public PictureSlot Slot { get; }

    public CompositeInputCounters Counters { get; }

    public void Start() => _loop ??= Task.Run(() => ConnectLoopAsync(_stop.Token), CancellationToken.None);

    /// <inheritdoc/>
    public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss)
    {
        lock (_decoderLock)
        {
            var decoder = _disposed ? null : OpenDecoder();
            if (decoder is null)
            {
                return;
            }

            if (decoder.Decode(annexB))
            {
                Slot.Publish(decoder.Picture);
                Counters.AddPicture();
            }

            if (decoder.Failures != _failuresSeen)
            {
                Counters.AddFailures(decoder.Failures - _failuresSeen, decoder.LastError);
                _failuresSeen = decoder.Failures;

                // A broken reference chain heals at the next IDR: ask for it now (PLI, at most once a second).
                _keyframeRequest.Set();
            }

            Counters.SetDecoder(decoder.Engine);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            // TEARDOWN takes at most a second.
            await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_decoderLock)
        {
            _disposed = true;
            _decoder?.Dispose();
            _decoder = null;
        }

        _stop.Dispose();
        _upstream.SetState(UpstreamState.Stopped);
    }

    private H264Decoder? OpenDecoder()
    {
        if (_decoder is not null)
        {
            return _decoder;
        }

        try
        {
            _decoder = H264Decoder.Open();
            LogDecoderOpened(_logger, _logName, _decoder.Engine, _decoder.Skipped.Count == 0 ? "none" : string.Join("; ", _decoder.Skipped));
            return _decoder;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Counters.AddFailures(1, e.Message);
            return null;
        }
    }

    /// <summary>A session started: feed the SDP's parameter sets, so the first IDR decodes even without in-band ones.</summary>
    private void OnTrackReady(SdpH264Track track)
    {
        if (track.Sps.Length == 0 || track.Pps.Length == 0)
        {
            return;
        }

        // Once per session: a small array is fine here.
        var headers = new byte[(2 * StartCode.Length) + track.Sps.Length + track.Pps.Length];
        StartCode.CopyTo(headers);
        track.Sps.CopyTo(headers, StartCode.Length);
        StartCode.CopyTo(headers.AsSpan(StartCode.Length + track.Sps.Length));
        track.Pps.CopyTo(headers, (2 * StartCode.Length) + track.Sps.Length);
        lock (_decoderLock)
        {
            if (!_disposed)
            {
                OpenDecoder()?.Decode(headers);
            }
        }
    }

    private Task ConnectLoopAsync(CancellationToken cancellationToken) => RtspReconnectLoop.RunAsync(
        _upstream,
        token =>
        {
            _keyframeRequest.Clear();
            var session = new RtspPullSession(_options, _logName, this, _upstream, _logger, _keyframeRequest);
            session.TrackReady += OnTrackReady;
            return session.RunAsync(token);
        },
        (reason, delaySeconds) => LogInputFailed(_logger, _logName, Counters.Source, reason, delaySeconds),
        afterSession: null,
        cancellationToken);

    [LoggerMessage(EventId = 3700, Level = LogLevel.Warning, Message = "Composite input {Input}: camera {Url} unavailable ({Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogInputFailed(ILogger logger, string input, string url, string reason, double delaySeconds);

    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Composite input {Input}: H.264 decoder {Engine} (skipped: {Skipped})")]
    private static partial void LogDecoderOpened(ILogger logger, string input, string engine, string skipped);
}
