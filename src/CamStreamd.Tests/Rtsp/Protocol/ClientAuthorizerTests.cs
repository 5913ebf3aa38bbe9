using TextEncoding = System.Text.Encoding;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class ClientAuthorizerTests
{
    [Fact]
    public void Digest_answers_the_rfc_2617_example()
    {
        // RFC 2617 §3.5 (method GET there; the digest does not care which protocol carries it).
        Assert.True(AuthChallenge.TryParse(
            "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            out var challenge));
        var authorizer = new ClientAuthorizer("Mufasa", "Circle Of Life", () => "0a4f113b");
        authorizer.Accept(challenge);
        var header = authorizer.Authorize("GET", "/dir/index.html");

        Assert.NotNull(header);
        Assert.True(AuthorizationHeader.TryParse(header, out var parsed), header);
        var digest = parsed.Digest!;
        Assert.Equal("6629fae49393a05397450978507c4ef1", digest.Response);
        Assert.Equal(("Mufasa", "testrealm@host.com", "/dir/index.html", "auth", "00000001", "0a4f113b", "5ccc069c403ebaf9f0171e9517f40e41"), (digest.Username, digest.Realm, digest.Uri, digest.Qop, digest.NonceCount, digest.ClientNonce, digest.Opaque));

        // The next request counts up.
        Assert.True(AuthorizationHeader.TryParse(authorizer.Authorize("GET", "/dir/index.html")!, out var second));
        Assert.Equal("00000002", second.Digest!.NonceCount);
    }

    [Fact]
    public void Digest_without_qop_uses_the_rfc_2069_form_our_server_accepts()
    {
        Assert.True(AuthChallenge.TryParse("Digest realm=\"camstreamd\", nonce=\"n1\"", out var challenge));
        var authorizer = new ClientAuthorizer("viewer", "pw");
        authorizer.Accept(challenge);
        Assert.True(AuthorizationHeader.TryParse(authorizer.Authorize("DESCRIBE", "rtsp://h/cam0")!, out var parsed));
        var expected = DigestAlgorithm.Response(DigestAlgorithm.HashA1("viewer", "camstreamd", "pw"), "n1", "DESCRIBE", "rtsp://h/cam0", null, null, null);
        Assert.Equal(expected, parsed.Digest!.Response);
        Assert.Null(parsed.Digest.Qop);
    }

    [Fact]
    public void Basic_sends_user_and_password()
    {
        Assert.True(AuthChallenge.TryParse("Basic realm=\"cam\"", out var challenge));
        var authorizer = new ClientAuthorizer("user", "pä:ss");
        Assert.Null(authorizer.Authorize("OPTIONS", "*"));
        authorizer.Accept(challenge);
        var header = authorizer.Authorize("OPTIONS", "*")!;
        Assert.Equal("Basic " + Convert.ToBase64String(TextEncoding.UTF8.GetBytes("user:pä:ss")), header);
    }

    [Theory]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256")]
    [InlineData("Bearer realm=\"r\"")]
    [InlineData("Digest realm=\"unterminated, nonce=\"n\"")]
    public void Unusable_challenges_are_refused(string value)
    {
        Assert.False(AuthChallenge.TryParse(value, out _));
    }

    [Fact]
    public void Digest_is_chosen_over_basic_and_stale_is_read()
    {
        var chosen = AuthChallenge.Choose(["Basic realm=\"a\"", "Digest realm=\"b\", nonce=\"n\", stale=TRUE"]);
        Assert.NotNull(chosen);
        Assert.True(chosen.IsDigest && chosen.Stale);
        Assert.False(AuthChallenge.Choose(["Basic realm=\"a\""])!.IsDigest);
        Assert.Null(AuthChallenge.Choose(["Negotiate"]));
    }
}
