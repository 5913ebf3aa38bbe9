using System.Net;
using CamStreamd.Rtsp;
using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.Rtsp.TestSupport;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Rtsp;

public class RtspAuthenticatorTests
{
    private const string Url = "rtsp://127.0.0.1:8554/cam0";
    private const string Password = "Circle Of Life";
    private static readonly IPAddress Peer = IPAddress.Loopback;

    private readonly ManualTimeProvider _time = new();
    private readonly CapturingLogger _log = new();

    [Fact]
    public void Without_auth_every_request_passes()
    {
        var auth = Create(RtspAuthMode.None);
        Assert.True(auth.Authorize(Request("DESCRIBE", Url), Peer, new RtspResponse()));
    }

    [Fact]
    public void Options_is_open_and_describe_is_challenged_without_a_logged_failure()
    {
        var auth = Create(RtspAuthMode.Basic);
        Assert.True(auth.Authorize(Request("OPTIONS", Url), Peer, new RtspResponse()));

        var response = new RtspResponse();
        Assert.False(auth.Authorize(Request("DESCRIBE", Url), Peer, response));
        Assert.Equal(401, response.StatusCode);
        Assert.Equal("Basic realm=\"cams\"", response.Headers["WWW-Authenticate"]);
        Assert.DoesNotContain(_log.Lines, l => l.EventId == 1501);
    }

    [Theory]
    [InlineData("Mufasa", Password, true)]
    [InlineData("Mufasa", "circle of life", false)]
    [InlineData("Simba", Password, false)]
    [InlineData("", "", false)]
    public void Basic_checks_name_and_password(string user, string password, bool ok)
    {
        var auth = Create(RtspAuthMode.Basic);
        var response = new RtspResponse();
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));
        Assert.Equal(ok, auth.Authorize(Request("SETUP", Url + "/trackID=0", basic), Peer, response));
        Assert.Equal(ok ? 200 : 401, response.StatusCode);
    }

    [Fact]
    public void Digest_with_and_without_qop_is_accepted_for_the_right_password()
    {
        var auth = Create(RtspAuthMode.Digest);
        var nonce = Challenge(auth).Nonce;
        Assert.True(auth.Authorize(Request("DESCRIBE", Url, Digest("DESCRIBE", Url, nonce, Password, qop: true)), Peer, new RtspResponse()));
        Assert.True(auth.Authorize(Request("PLAY", Url + "/", Digest("PLAY", Url + "/", nonce, Password, qop: false)), Peer, new RtspResponse()));
    }

    [Fact]
    public void Digest_refuses_a_wrong_password_logging_peer_and_user_but_never_the_password()
    {
        var auth = Create(RtspAuthMode.Digest);
        var nonce = Challenge(auth).Nonce;
        var response = new RtspResponse();
        Assert.False(auth.Authorize(Request("DESCRIBE", Url, Digest("DESCRIBE", Url, nonce, "wrong horse", qop: true)), Peer, response));
        Assert.Equal(401, response.StatusCode);
        Assert.DoesNotContain("stale", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);
        var line = Assert.Single(_log.Lines, l => l.EventId == 1501).Text;
        Assert.Contains("\"Mufasa\"", line, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong horse", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Digest_for_another_uri_is_a_bad_request()
    {
        var auth = Create(RtspAuthMode.Digest);
        var nonce = Challenge(auth).Nonce;
        var response = new RtspResponse();
        Assert.False(auth.Authorize(Request("DESCRIBE", Url, Digest("DESCRIBE", "rtsp://127.0.0.1:8554/cam1", nonce, Password, qop: true)), Peer, response));
        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public void An_expired_nonce_with_the_right_password_is_challenged_as_stale()
    {
        var auth = Create(RtspAuthMode.Digest);
        var nonce = Challenge(auth).Nonce;
        _time.Advance(TimeSpan.FromSeconds(61));
        var response = new RtspResponse();
        Assert.False(auth.Authorize(Request("GET_PARAMETER", Url, Digest("GET_PARAMETER", Url, nonce, Password, qop: true)), Peer, response));
        Assert.Equal(401, response.StatusCode);
        Assert.Contains("stale=true", response.Headers["WWW-Authenticate"], StringComparison.Ordinal);

        // The new nonce works; a wrong password with the old one is a plain failure.
        var fresh = ParseChallenge(response).Nonce;
        Assert.NotEqual(nonce, fresh);
        Assert.True(auth.Authorize(Request("GET_PARAMETER", Url, Digest("GET_PARAMETER", Url, fresh, Password, qop: true)), Peer, new RtspResponse()));
        var wrong = new RtspResponse();
        Assert.False(auth.Authorize(Request("GET_PARAMETER", Url, Digest("GET_PARAMETER", Url, nonce, "nope", qop: true)), Peer, wrong));
        Assert.DoesNotContain("stale", wrong.Headers["WWW-Authenticate"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_nonce_issued_to_another_address_or_a_basic_header_is_refused()
    {
        var auth = Create(RtspAuthMode.Digest);
        var nonce = Challenge(auth).Nonce;
        Assert.False(auth.Authorize(Request("DESCRIBE", Url, Digest("DESCRIBE", Url, nonce, Password, qop: true)), IPAddress.Parse("10.1.2.3"), new RtspResponse()));
        var basic = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"Mufasa:{Password}"));
        Assert.False(auth.Authorize(Request("DESCRIBE", Url, basic), Peer, new RtspResponse()));
        var realm = Digest("DESCRIBE", Url, nonce, Password, qop: true).Replace("realm=\"cams\"", "realm=\"other\"", StringComparison.Ordinal);
        Assert.False(auth.Authorize(Request("DESCRIBE", Url, realm), Peer, new RtspResponse()));
    }

    [Fact]
    public void Failure_lines_are_rate_limited_and_count_what_they_skipped()
    {
        var auth = Create(RtspAuthMode.Basic);
        var bad = "Basic " + Convert.ToBase64String("Mufasa:x"u8);
        for (var i = 0; i < 50; i++)
        {
            auth.Authorize(Request("DESCRIBE", Url, bad), Peer, new RtspResponse());
        }

        Assert.Single(_log.Lines, l => l.EventId == 1501);
        _time.Advance(TimeSpan.FromSeconds(11));
        auth.Authorize(Request("DESCRIBE", Url, bad), Peer, new RtspResponse());
        var lines = _log.Lines.Where(l => l.EventId == 1501).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Contains("49 more failure(s)", lines[1].Text, StringComparison.Ordinal);
    }

    private RtspAuthenticator Create(RtspAuthMode mode) => new(
        new RtspAuthSettings { Mode = mode, Realm = "cams", Users = [new RtspUser("Mufasa", Password), new RtspUser("Nala", "x")] },
        _time,
        _log);

    private static RtspRequest Request(string method, string uri, string? authorization = null)
    {
        var headers = new RtspHeaders();
        headers.Add("CSeq", "1");
        if (authorization is not null)
        {
            headers.Add("Authorization", authorization);
        }

        return new RtspRequest(method, uri, "RTSP/1.0", headers, ReadOnlyMemory<byte>.Empty);
    }

    private static (string Nonce, string Header) Challenge(RtspAuthenticator auth)
    {
        var response = new RtspResponse();
        Assert.False(auth.Authorize(Request("DESCRIBE", Url), Peer, response));
        return ParseChallenge(response);
    }

    private static (string Nonce, string Header) ParseChallenge(RtspResponse response)
    {
        var header = response.Headers["WWW-Authenticate"]!;
        Assert.StartsWith("Digest ", header, StringComparison.Ordinal);
        Assert.True(AuthParameters.TryParse(header.AsSpan("Digest ".Length), out var p));
        return (p["nonce"], header);
    }

    private static string Digest(string method, string uri, string nonce, string password, bool qop)
    {
        var ha1 = DigestAlgorithm.HashA1("Mufasa", "cams", password);
        return qop
            ? $"Digest username=\"Mufasa\", realm=\"cams\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{DigestAlgorithm.Response(ha1, nonce, method, uri, "auth", "00000001", "0a4f113b")}\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", algorithm=MD5"
            : $"Digest username=\"Mufasa\", realm=\"cams\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{DigestAlgorithm.Response(ha1, nonce, method, uri, null, null, null)}\"";
    }
}
