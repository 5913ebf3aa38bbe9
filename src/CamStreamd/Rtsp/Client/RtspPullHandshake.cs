using System.Globalization;
using System.Net;
using CamStreamd.Configuration;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// The requests that start a pull session (RFC 2326 §C.1), before any media: OPTIONS (which
/// methods the server has), DESCRIBE (SDP; one 3xx redirect followed, to another host too) and
/// SETUP of the H.264 track over TCP interleaved or UDP, Basic and Digest answered from the
/// configured or URL credentials. A refusal or an unusable answer is an
/// <see cref="RtspClientException"/> naming the request and the (redacted) URL.
/// </summary>
internal sealed class RtspPullHandshake
{
    private readonly RtspPullOptions _options;
    private readonly string _stream;
    private readonly ILogger _logger;

    public RtspPullHandshake(RtspPullOptions options, string stream, ILogger logger)
    {
        _options = options;
        _stream = stream;
        _logger = logger;
    }

    /// <summary>Throws unless <paramref name="response"/> is a success, with a hint about credentials on 401.</summary>
    public static void Require(RtspResponseMessage response, string method, string url)
    {
        if (response.IsSuccess)
        {
            return;
        }

        var hint = response.StatusCode == RtspStatus.Unauthorized ? " (check source.username and source.password, or the URL's user:password)" : string.Empty;
        throw new RtspClientException($"{method} {ConfigRedactor.RedactUrl(url)}: the server answered {response}{hint}");
    }

    /// <summary>OPTIONS then DESCRIBE, following one redirect (to another host too: a new connection, and the old one disposed).</summary>
    public async Task<(RtspClientConnection Connection, RtspUrl Url, RtspResponseMessage Describe, string[] Public)> DescribeAsync(RtspClientConnection connection, RtspUrl url, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            var options = await connection.SendAsync("OPTIONS", url.RequestUrl, null, Credentials(url), cancellationToken).ConfigureAwait(false);
            var publicMethods = options.IsSuccess
                ? (options.Headers["Public"] ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : [];
            var describe = await connection.SendAsync("DESCRIBE", url.RequestUrl, [new("Accept", "application/sdp")], Credentials(url), cancellationToken).ConfigureAwait(false);
            if (describe.StatusCode is >= 300 and < 400 && describe.Headers["Location"] is { } location)
            {
                if (redirects > 0)
                {
                    throw new RtspClientException($"DESCRIBE {ConfigRedactor.RedactUrl(url.RequestUrl)}: redirected twice (we follow one redirect)");
                }

                if (!RtspUrl.TryParse(location, out var target, out var reason))
                {
                    throw new RtspClientException($"DESCRIBE {ConfigRedactor.RedactUrl(url.RequestUrl)}: redirect to an unusable Location ({reason})");
                }

                RtspPullLog.Redirected(_logger, _stream, ConfigRedactor.RedactUrl(url.RequestUrl)!, ConfigRedactor.RedactUrl(location)!);

                // The redirect keeps the credentials of the original URL unless it brings its own.
                url = target with { Username = target.Username ?? url.Username, Password = target.Password ?? url.Password };
                await connection.DisposeAsync().ConfigureAwait(false);
                connection = await RtspClientConnection.ConnectAsync(url.Host, url.Port, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
                continue;
            }

            Require(describe, "DESCRIBE", url.RequestUrl);
            return (connection, url, describe, publicMethods);
        }
    }

    /// <summary>
    /// SETUP of <paramref name="control"/> over TCP interleaved (<paramref name="udp"/> null) or to
    /// <paramref name="udp"/>'s ports; sets the connection's session id. Returns the session timeout
    /// (seconds), the interleaved channels the server chose, and over UDP the server's RTCP address.
    /// </summary>
    public static async Task<(int SessionTimeout, (int Rtp, int Rtcp) Channels, IPEndPoint? ServerRtcp)> SetupAsync(RtspClientConnection connection, string control, UdpMediaSockets? udp, IPAddress server, CancellationToken cancellationToken)
    {
        var transport = udp is null
            ? "RTP/AVP/TCP;unicast;interleaved=0-1"
            : string.Create(CultureInfo.InvariantCulture, $"RTP/AVP;unicast;client_port={udp.RtpPort}-{udp.RtcpPort}");
        var setup = await connection.SendAsync("SETUP", control, [new("Transport", transport)], null, cancellationToken).ConfigureAwait(false);
        Require(setup, "SETUP", control);
        if (setup.Headers["Session"] is not { } sessionText || !SessionHeader.TryParse(sessionText, out var session))
        {
            throw new RtspClientException($"SETUP {ConfigRedactor.RedactUrl(control)}: the reply has no valid Session header");
        }

        connection.SessionId = session.Id;
        var timeout = session.TimeoutSeconds is > 0 ? session.TimeoutSeconds.Value : RtspPullSession.DefaultSessionTimeoutSeconds;
        var alternatives = TransportHeader.ParseAll(setup.Headers["Transport"] ?? string.Empty);
        var reply = alternatives.Count > 0 ? alternatives[0] : null;
        if (udp is null)
        {
            if (reply is { LowerTransport: not RtspLowerTransport.Tcp })
            {
                throw new RtspClientException($"SETUP {ConfigRedactor.RedactUrl(control)}: asked for TCP interleaved, the server chose {reply}");
            }

            return (timeout, reply?.Interleaved ?? (0, 1), null);
        }

        if (reply is not { LowerTransport: RtspLowerTransport.Udp, Multicast: false })
        {
            throw new RtspClientException($"SETUP {ConfigRedactor.RedactUrl(control)}: asked for UDP unicast, the server chose {(reply?.ToString() ?? "nothing")}");
        }

        IPEndPoint? serverRtcp = reply.ServerPort is { } ports ? new IPEndPoint(server, ports.Rtcp) : null;
        return (timeout, (0, 1), serverRtcp);
    }

    private Func<ClientAuthorizer?> Credentials(RtspUrl url)
    {
        var user = _options.Username ?? url.Username;
        var password = _options.Password ?? url.Password ?? string.Empty;
        return () => user is null ? null : new ClientAuthorizer(user, password);
    }
}
