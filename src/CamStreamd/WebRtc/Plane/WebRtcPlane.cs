using System.Globalization;
using System.Net;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.WebRtc.Ice;
using CamStreamd.WebRtc.Sdp;
using CamStreamd.WebRtc.Srtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// WebRTC playback as a whole: the UDP port, the session table and budget, our DTLS certificate,
/// the media feeds, and what WHEP asks of them (offer → session and answer, DELETE). Sessions that
/// never connect are ended after <see cref="ConnectTimeout"/>, sessions without a valid ICE check
/// for <see cref="ConsentTimeout"/> (RFC 7675 consent freshness) too; a sweep once a second does it.
/// </summary>
public sealed partial class WebRtcPlane : IAsyncDisposable
{
    private readonly WebRtcOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WebRtcSessionTable _sessions = new();
    private WebRtcPort? _port;
    private ITimer? _sweep;
    private IReadOnlyList<IPAddress> _candidates = [];

    /// <summary>Creates the plane; nothing is bound until <see cref="Start"/>.</summary>
    public WebRtcPlane(WebRtcOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger("CamStreamd.WebRtc");
        Budget = new ConnectionBudget("webrtc", options.MaxSessions, 0, _logger);
    }

    /// <summary>A session with no valid ICE check for this long ends (RFC 7675 §5.1: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A session not playing this long after its offer ends (a browser needs well under a second).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The sessions' budget (<c>webrtc.maxSessions</c>, a quarter per address).</summary>
    public ConnectionBudget Budget { get; }

    /// <summary>The options.</summary>
    public WebRtcOptions Options => _options;

    /// <summary>The bound UDP port, or null when not bound.</summary>
    public int? Port => _port?.LocalEndPoint.Port;

    /// <summary>The port's counters (zeros when not bound).</summary>
    public WebRtcPortCounters Counters => _port?.Counters ?? new WebRtcPortCounters();

    /// <summary>The host candidate addresses of every answer.</summary>
    public IReadOnlyList<IPAddress> Candidates => _candidates;

    /// <summary>Every live session (a snapshot).</summary>
    public IReadOnlyCollection<WebRtcSession> Sessions => _sessions.All;

    /// <summary>Sessions ended since start, by any reason.</summary>
    public long SessionsEnded => Interlocked.Read(ref _ended);

    private long _ended;

    internal WebRtcPort? BoundPort => _port;

    /// <summary>Binds the UDP port and starts the sweep. A port that cannot be bound is logged; WHEP then answers 503.</summary>
    public void Start()
    {
        try
        {
            _port = WebRtcPort.Bind(_options.Port, _sessions, _logger);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            WebRtcLog.BindFailed(_logger, _options.Port, e.Message);
            return;
        }

        _candidates = CandidateAddresses.Gather(_options.AdditionalHosts, _port.DualStack);
        OnStarting();
        _port.Start();
        _sweep = _time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        WebRtcLog.Listening(_logger, _port.LocalEndPoint.Port, _port.DualStack ? "IPv4 and IPv6" : "IPv4", string.Join(", ", _candidates), AesNiGcm128.IsSupported ? "AES-NI and PCLMULQDQ" : "OpenSSL");
    }

    /// <summary>Answers <paramref name="offerSdp"/> for <paramref name="hub"/> from the HTTP peer <paramref name="remote"/>.</summary>
    public WhepOfferResult Offer(StreamHub hub, string offerSdp, IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(remote);
        if (_port is not { } port)
        {
            return new WhepOfferResult(WhepOfferStatus.Unavailable, null, null, $"the WebRTC UDP port {_options.Port} is not bound (webrtc.port; see the log)");
        }

        SdpOffer offer;
        try
        {
            offer = SdpOfferParser.Parse(offerSdp);
        }
        catch (SdpOfferException e)
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, e.Message);
        }

        if (offer.Video is not { } video)
        {
            var kinds = string.Join(", ", offer.Media.Select(m => m.Kind));
            return Refused(hub, remote, WhepOfferStatus.BadOffer, $"the offer has no video section (it offers: {kinds})");
        }

        if (video.IceUfrag is not { Length: > 0 } || video.IcePwd is not { Length: > 0 })
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, "the offer's video section has no a=ice-ufrag and a=ice-pwd");
        }

        if (video.Fingerprint is not { } fingerprint || fingerprint.Algorithm != "sha-256")
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, "the offer has no a=fingerprint:sha-256 (DTLS-SRTP needs the browser's certificate fingerprint)");
        }

        if (!Dtls.DtlsFingerprint.TryParse($"{fingerprint.Algorithm} {fingerprint.Value}", out _))
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, $"the offer's a=fingerprint:sha-256 value is not 32 colon-separated hex bytes: \"{fingerprint.Value}\"");
        }

        if (video.Setup is "passive")
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, "the offer's a=setup:passive leaves no DTLS client (we answer passive; offer actpass or active)");
        }

        if (video.Direction is "sendonly" or "inactive")
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, $"the offer's video is {video.Direction}; WHEP playback needs recvonly or sendrecv");
        }

        if (!video.Protocol.Contains("SAVP", StringComparison.Ordinal))
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, $"the video section's protocol {video.Protocol} is not DTLS-SRTP (UDP/TLS/RTP/SAVPF)");
        }

        if (hub.Description is not { } description)
        {
            return Refused(hub, remote, WhepOfferStatus.NoPicture, "the stream has no picture yet (its H.264 profile is not known); retry in a moment");
        }

        var streamProfile = H264FormatMatcher.ProfileLevelIdOf(description.Sps);
        if (H264FormatMatcher.Choose(SdpOffer.H264Formats(video), streamProfile, out var answerProfile, out var reason) is not { } format)
        {
            return Refused(hub, remote, WhepOfferStatus.BadOffer, reason);
        }

        var credentials = IceCredentials.Create();
        var ssrc = Feed.WebRtcMediaSessionSetup.RandomSsrc();
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var session = new WebRtcSession(id, hub, credentials, video.IceUfrag, $"{fingerprint.Algorithm} {fingerprint.Value}", format.PayloadType, ssrc, remote, port, _time);
        if (Budget.TryAdmit(session) is var admission && admission != BudgetAdmission.Admitted)
        {
            return Refused(hub, remote, WhepOfferStatus.Full, admission == BudgetAdmission.RefusedPerAddress
                ? $"this address already has {Budget.PerAddressLimit} WebRTC sessions (webrtc.maxSessions / 4)"
                : $"{Budget.Limit} WebRTC sessions already (webrtc.maxSessions)");
        }

        OnSessionCreated(session);
        session.Closed += OnSessionClosed;
        _sessions.Add(session);
        var answer = SdpAnswerBuilder.Build(offer, video, format.PayloadType, answerProfile, credentials.Ufrag, credentials.Password, LocalFingerprint, ssrc, hub.Name, _candidates, port.LocalEndPoint.Port);
        WebRtcLog.SessionCreated(_logger, hub.Name, id, remote.ToString(), format.PayloadType, answerProfile.ToString("x6", CultureInfo.InvariantCulture));
        return new WhepOfferResult(WhepOfferStatus.Created, session, answer, null);
    }

    private int _disposeStarted;

    /// <summary>The session of a WHEP resource id, or null.</summary>
    public WebRtcSession? Find(string id) => _sessions.ById(id);

    /// <summary>Ends every session and closes the port; later calls do nothing (the host stops, then disposes, the service).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        if (_sweep is { } sweep)
        {
            await sweep.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var session in _sessions.All)
        {
            session.Close("the daemon stops");
        }

        if (_port is { } port)
        {
            await port.DisposeAsync().ConfigureAwait(false);
        }

        OnDisposed();
    }

    /// <summary>Ends sessions that never connected or lost consent. Called once a second.</summary>
    internal void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var session in _sessions.All)
        {
            var state = session.State;
            if (state != WebRtcSessionState.Playing && _time.GetElapsedTime(session.CreatedTimestamp, now) > ConnectTimeout)
            {
                session.Close(state == WebRtcSessionState.New
                    ? $"no valid ICE check within {ConnectTimeout.TotalSeconds:0} s of the answer"
                    : $"DTLS not done within {ConnectTimeout.TotalSeconds:0} s of the answer");
            }
            else if (state == WebRtcSessionState.Playing && _time.GetElapsedTime(session.LastConsentTimestamp, now) > ConsentTimeout)
            {
                session.Close($"consent expired: no valid ICE check for {ConsentTimeout.TotalSeconds:0} s (RFC 7675)");
            }
        }
    }

    private WhepOfferResult Refused(StreamHub hub, IPAddress remote, WhepOfferStatus status, string reason)
    {
        WebRtcLog.OfferRefused(_logger, hub.Name, remote.ToString(), reason);
        return new WhepOfferResult(status, null, null, reason);
    }

    private void OnSessionClosed(WebRtcSession session, string reason)
    {
        _sessions.Remove(session);
        Budget.Release(session);
        Interlocked.Increment(ref _ended);
        WebRtcLog.SessionEnded(_logger, session.StreamName, session.Id, reason);
        session.Dispose();
    }

    partial void OnStarting();

    partial void OnSessionCreated(WebRtcSession session);

    partial void OnDisposed();
}
