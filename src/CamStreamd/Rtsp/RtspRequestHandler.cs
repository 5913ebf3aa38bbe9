using System.Diagnostics;
using System.Globalization;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>Answers the RTSP methods (RFC 2326 §10) for one connection.</summary>
internal sealed class RtspRequestHandler
{
    /// <summary>The Public/Allow list (RFC 2326 §12.28, §12.4).</summary>
    public const string SupportedMethods = "OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";

    private static readonly TimeSpan DescriptionPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly RtspServer _server;
    private readonly RtspConnection _connection;
    private readonly ILogger _logger;

    public RtspRequestHandler(RtspServer server, RtspConnection connection, ILogger logger)
    {
        _server = server;
        _connection = connection;
        _logger = logger;
    }

    /// <summary>Fills <paramref name="response"/>; returns a session to start sending once the response is written.</summary>
    public async Task<RtspSession?> HandleAsync(RtspRequest request, RtspResponse response, CancellationToken cancellationToken)
    {
        if (request.CSeq is null)
        {
            response.StatusCode = RtspStatus.BadRequest;
            return null;
        }

        if (!_server.Authenticator.Authorize(request, _connection.RemoteEndPoint.Address, response))
        {
            return null;
        }

        if (RejectRequiredOptions(request, response))
        {
            return null;
        }

        if (request.SessionId is { } sessionId && _server.TryGetSession(sessionId, out var touched))
        {
            touched.Touch();
        }

        switch (request.Method)
        {
            case "OPTIONS":
                response.Headers.Add("Public", SupportedMethods);
                return null;
            case "DESCRIBE":
                await DescribeAsync(request, response, cancellationToken).ConfigureAwait(false);
                return null;
            case "SETUP":
                Setup(request, response);
                return null;
            case "PLAY":
                return await PlayAsync(request, response, cancellationToken).ConfigureAwait(false);
            case "PAUSE":
                await PauseAsync(request, response).ConfigureAwait(false);
                return null;
            case "TEARDOWN":
                await TeardownAsync(request, response).ConfigureAwait(false);
                return null;
            case "GET_PARAMETER":
            case "SET_PARAMETER":
                // Keepalives (RFC 2326 §10.8, §10.9): a named session must exist.
                if (request.SessionId is { } id && !_server.TryGetSession(id, out _))
                {
                    response.StatusCode = RtspStatus.SessionNotFound;
                }

                return null;
            default:
                // ANNOUNCE, RECORD, REDIRECT and anything else: we only serve (RFC 2326 §12.4 wants Allow).
                response.StatusCode = RtspStatus.MethodNotAllowed;
                response.Headers.Add("Allow", SupportedMethods);
                response.Headers.Add("Public", SupportedMethods);
                return null;
        }
    }

    /// <summary>We implement no option tags (RFC 2326 §12.32, §12.27): 551 naming them back in Unsupported.</summary>
    private static bool RejectRequiredOptions(RtspRequest request, RtspResponse response)
    {
        var required = false;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Require", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Require", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Add("Unsupported", value);
                required = true;
            }
        }

        if (required)
        {
            response.StatusCode = RtspStatus.OptionNotSupported;
        }

        return required;
    }

    private async Task DescribeAsync(RtspRequest request, RtspResponse response, CancellationToken cancellationToken)
    {
        if (!TryFindHub(request, response, out var hub, out _))
        {
            return;
        }

        var description = hub.Description;
        // Monotonic: a wall-clock step (NTP on a board that just booted) must not stretch the wait.
        var waitStarted = Stopwatch.GetTimestamp();
        while (description is null && Stopwatch.GetElapsedTime(waitStarted) < _server.Options.DescribeWaitTimeout)
        {
            await Task.Delay(DescriptionPollInterval, cancellationToken).ConfigureAwait(false);
            description = hub.Description;
        }

        if (description is null)
        {
            // No keyframe with SPS/PPS yet: the stream is not ready to be described.
            response.StatusCode = RtspStatus.ServiceUnavailable;
            return;
        }

        var sdp = SdpBuilder.Build(description, hub.Name, _connection.LocalEndPoint.Address, _server.SdpSessionId,
            (ulong)description.GetHashCode() & 0x7FFF_FFFF);
        response.Headers.Add("Content-Type", "application/sdp");
        response.Headers.Add("Content-Base", BaseUrl(request.Uri, hub.Name));
        response.Body = System.Text.Encoding.UTF8.GetBytes(sdp);
    }

    private void Setup(RtspRequest request, RtspResponse response)
    {
        if (!TryFindHub(request, response, out var hub, out var target))
        {
            return;
        }

        if (target.Track.Length > 0 && target.Track != SdpBuilder.TrackControl)
        {
            response.StatusCode = RtspStatus.NotFound;
            return;
        }

        if (!request.Headers.TryGetValue("Transport", out var transportText) || !TransportSelector.TrySelect(transportText, _server.Multicast is not null, out var spec))
        {
            response.StatusCode = RtspStatus.UnsupportedTransport;
            return;
        }

        RtspSession? session = null;
        if (request.SessionId is { } sessionId)
        {
            if (!_server.TryGetSession(sessionId, out session))
            {
                response.StatusCode = RtspStatus.SessionNotFound;
                return;
            }

            if (session.Hub != hub)
            {
                response.StatusCode = RtspStatus.AggregateOperationNotAllowed;
                return;
            }

            if (session.State == RtspSessionState.Playing)
            {
                // Changing transport while playing is not supported (RFC 2326 §10.4 allows refusing).
                response.StatusCode = RtspStatus.MethodNotValidInThisState;
                return;
            }
        }

        session ??= new RtspSession(hub, _server.Fanouts.For(hub), _logger, _server.Options, _connection.RemoteEndPoint);
        RtpTransport? transport = spec.Multicast ? _server.Multicast!.CreateTransport(hub)
            : spec.LowerTransport == RtspLowerTransport.Tcp
            ? new TcpInterleavedTransport(_connection, spec.Interleaved ?? (0, 1))
            : UdpUnicastTransport.TryCreate(_server.UdpPorts.For(_connection.LocalEndPoint.Address), _connection.RemoteEndPoint, spec.ClientPort!.Value, session);
        if (transport is null)
        {
            response.StatusCode = RtspStatus.UnsupportedTransport;
            return;
        }

        var old = session.SetTransport(transport);
        if (old is not null)
        {
            _ = old.DisposeAsync().AsTask();
        }

        if (_server.AddSession(session))
        {
            _logger.SessionCreated(session.Id, hub.Name, transport.Name);
        }

        // The connection that carries (or set up) the session ends it when it closes, if TCP.
        _connection.AddSession(session);

        response.Headers.Add("Transport", (transport.Reply with { Ssrc = session.Ssrc }).ToString());
        response.Headers.Add("Session", SessionHeaderValue(session));
    }

    private async Task<RtspSession?> PlayAsync(RtspRequest request, RtspResponse response, CancellationToken cancellationToken)
    {
        if (!TryFindSession(request, response, out var session))
        {
            return null;
        }

        if (session.State == RtspSessionState.Init)
        {
            response.StatusCode = RtspStatus.MethodNotValidInThisState;
            return null;
        }

        response.Headers.Add("Session", SessionHeaderValue(session));
        response.Headers.Add("Range", "npt=0.000-");
        var start = await session.PrepareToPlayAsync(_server.Options.PlayWaitTimeout, cancellationToken).ConfigureAwait(false);
        var trackUrl = TrackUrl(request.Uri, session.Hub.Name);
        response.Headers.Add("RTP-Info", start is { } s
            ? string.Create(CultureInfo.InvariantCulture, $"url={trackUrl};seq={s.Seq};rtptime={s.RtpTime}")
            : $"url={trackUrl}");
        return session;
    }

    private async Task PauseAsync(RtspRequest request, RtspResponse response)
    {
        if (!TryFindSession(request, response, out var session))
        {
            return;
        }

        if (session.State == RtspSessionState.Init)
        {
            response.StatusCode = RtspStatus.MethodNotValidInThisState;
            return;
        }

        await session.PauseAsync().ConfigureAwait(false);
        response.Headers.Add("Session", SessionHeaderValue(session));
    }

    private async Task TeardownAsync(RtspRequest request, RtspResponse response)
    {
        if (!TryFindSession(request, response, out var session))
        {
            return;
        }

        _connection.RemoveSession(session);
        await _server.EndSessionAsync(session, "TEARDOWN").ConfigureAwait(false);
    }

    private bool TryFindHub(RtspRequest request, RtspResponse response, out StreamHub hub, out RtspTarget target)
    {
        hub = null!;
        if (!RtspTarget.TryParse(request.Uri, out target))
        {
            response.StatusCode = RtspStatus.BadRequest;
            return false;
        }

        if (target.Stream.Length == 0 || !_server.Registry.TryGet(target.Stream, out hub!))
        {
            response.StatusCode = RtspStatus.NotFound;
            return false;
        }

        return true;
    }

    private bool TryFindSession(RtspRequest request, RtspResponse response, out RtspSession session)
    {
        session = null!;
        if (request.SessionId is null && request.Method is "PLAY" or "PAUSE")
        {
            // No session yet means state Init, where only SETUP is valid (RFC 2326 Appendix A.2).
            response.StatusCode = RtspStatus.MethodNotValidInThisState;
            return false;
        }

        if (request.SessionId is not { } id || !_server.TryGetSession(id, out session!))
        {
            response.StatusCode = RtspStatus.SessionNotFound;
            return false;
        }

        return true;
    }

    private string SessionHeaderValue(RtspSession session) =>
        new SessionHeader(session.Id, (int)Math.Ceiling(_server.Options.SessionTimeout.TotalSeconds)).ToString();

    /// <summary>The stream's absolute URL with a trailing slash (Content-Base, RFC 2326 §C.1.1).</summary>
    private string BaseUrl(string requestUri, string stream)
    {
        if (requestUri.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase) && requestUri.Contains("://", StringComparison.Ordinal))
        {
            var schemeEnd = requestUri.IndexOf("://", StringComparison.Ordinal) + 3;
            var pathStart = requestUri.IndexOf('/', schemeEnd);
            var authority = pathStart < 0 ? requestUri : requestUri[..pathStart];
            return $"{authority}/{Uri.EscapeDataString(stream)}/";
        }

        var local = _connection.LocalEndPoint;
        var host = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        var hostText = host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"rtsp://{hostText}:{local.Port}/{Uri.EscapeDataString(stream)}/");
    }

    private string TrackUrl(string requestUri, string stream) => BaseUrl(requestUri, stream) + SdpBuilder.TrackControl;
}
