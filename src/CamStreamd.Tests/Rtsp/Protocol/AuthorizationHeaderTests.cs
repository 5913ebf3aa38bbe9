using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class AuthorizationHeaderTests
{
    [Fact]
    public void Parses_the_rfc2617_example_digest_credentials()
    {
        // RFC 2617 §3.5, folded onto one line as the RTSP parser delivers it.
        const string value = """Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41" """;
        Assert.True(AuthorizationHeader.TryParse(value, out var header));
        Assert.False(header.IsBasic);
        var d = header.Digest!;
        Assert.Equal(("Mufasa", "testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "/dir/index.html"), (d.Username, d.Realm, d.Nonce, d.Uri));
        Assert.Equal(("auth", "00000001", "0a4f113b"), (d.Qop, d.NonceCount, d.ClientNonce));
        Assert.Equal("6629fae49393a05397450978507c4ef1", d.Response);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", d.Opaque);
        Assert.Null(d.Algorithm);
        Assert.Equal("Mufasa", header.UserName);
    }

    [Fact]
    public void Parses_ffmpeg_style_quoted_qop_and_algorithm_and_any_scheme_case()
    {
        // libavformat quotes qop and algorithm; the scheme is case-insensitive (RFC 7235 §2.1).
        const string value = """digest username="u", realm="r", nonce="n", uri="rtsp://h/cam0", response="0123456789abcdef0123456789abcdef", algorithm="MD5", qop="auth", cnonce="c", nc=00000002""";
        Assert.True(AuthorizationHeader.TryParse(value, out var header));
        Assert.Equal(("MD5", "auth", "00000002", "c"), (header.Digest!.Algorithm, header.Digest.Qop, header.Digest.NonceCount, header.Digest.ClientNonce));
    }

    [Fact]
    public void Quoted_pairs_are_unescaped()
    {
        const string value = """Digest username="a\"b\\c", realm="r,with comma", nonce="n", uri="/", response="x" """;
        Assert.True(AuthorizationHeader.TryParse(value, out var header));
        Assert.Equal("a\"b\\c", header.Digest!.Username);
        Assert.Equal("r,with comma", header.Digest.Realm);
    }

    [Fact]
    public void Parses_basic_credentials_splitting_at_the_first_colon()
    {
        // RFC 7617 §2: "Aladdin:open sesame".
        Assert.True(AuthorizationHeader.TryParse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", out var header));
        Assert.True(header.IsBasic);
        Assert.Equal(("Aladdin", "open sesame"), (header.BasicUser, header.BasicPassword));

        var withColon = Convert.ToBase64String("user:pa:ss"u8);
        Assert.True(AuthorizationHeader.TryParse("BASIC " + withColon, out header));
        Assert.Equal(("user", "pa:ss"), (header.BasicUser, header.BasicPassword));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic dXNlcg==")] // "user" without a colon
    [InlineData("Basic //79")] // invalid UTF-8
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\"")] // no response
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\", response=\"x\", qop=auth")] // qop without nc/cnonce
    [InlineData("Digest username=\"u, realm=\"r\"")] // unterminated quote
    [InlineData("Digest username")] // no '='
    [InlineData("Digest username=\"u\" realm=\"r\"")] // missing comma
    [InlineData("Digest =x")]
    [InlineData("Digest username=\"u\\")]
    public void Rejects_malformed_credentials(string value) => Assert.False(AuthorizationHeader.TryParse(value, out _));

    [Fact]
    public void Rejects_too_many_parameters_and_oversized_values()
    {
        var many = "Digest " + string.Join(", ", Enumerable.Range(0, AuthParameters.MaxParameters + 1).Select(i => $"p{i}=v"));
        Assert.False(AuthorizationHeader.TryParse(many, out _));
        Assert.False(AuthorizationHeader.TryParse("Basic " + new string('A', AuthorizationHeader.MaxLength + 4), out _));
    }

    [Fact]
    public void Challenges_round_trip_through_the_parameter_parser()
    {
        var digest = WwwAuthenticateHeader.Digest("cam \"realm\"", "abc123", stale: true);
        Assert.StartsWith("Digest ", digest, StringComparison.Ordinal);
        Assert.True(AuthParameters.TryParse(digest.AsSpan("Digest ".Length), out var p));
        Assert.Equal("cam \"realm\"", p["realm"]);
        Assert.Equal("abc123", p["nonce"]);
        Assert.Equal("MD5", p["algorithm"]);
        Assert.Equal("auth", p["qop"]);
        Assert.Equal("true", p["stale"]);
        Assert.DoesNotContain("stale", WwwAuthenticateHeader.Digest("r", "n", stale: false), StringComparison.Ordinal);
        Assert.Equal("Basic realm=\"camstreamd\"", WwwAuthenticateHeader.Basic("camstreamd"));
    }
}
