using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class DigestNonceIssuerTests
{
    private static readonly byte[] Client = [127, 0, 0, 1];
    private static readonly byte[] OtherClient = [10, 0, 0, 7];

    [Fact]
    public void A_fresh_nonce_is_valid_for_its_client_only()
    {
        var issuer = new DigestNonceIssuer(TimeSpan.FromSeconds(60), new ManualTimeProvider());
        var nonce = issuer.Issue(Client);
        Assert.Equal(DigestNonceIssuer.NonceLength, nonce.Length);
        Assert.Equal(DigestNonceValidity.Valid, issuer.Check(nonce, Client));
        Assert.Equal(DigestNonceValidity.Invalid, issuer.Check(nonce, OtherClient));
    }

    [Fact]
    public void A_nonce_turns_stale_after_its_lifetime()
    {
        var time = new ManualTimeProvider();
        var issuer = new DigestNonceIssuer(TimeSpan.FromSeconds(60), time);
        var nonce = issuer.Issue(Client);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(DigestNonceValidity.Valid, issuer.Check(nonce, Client));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(DigestNonceValidity.Stale, issuer.Check(nonce, Client));
        Assert.NotEqual(nonce, issuer.Issue(Client));
    }

    [Fact]
    public void Forged_tampered_and_foreign_nonces_are_invalid()
    {
        var time = new ManualTimeProvider();
        var issuer = new DigestNonceIssuer(TimeSpan.FromSeconds(60), time);
        var nonce = issuer.Issue(Client);

        // Moving the timestamp forward (to dodge expiry) breaks the MAC.
        var tampered = (nonce[0] == '0' ? "1" : "0") + nonce[1..];
        Assert.Equal(DigestNonceValidity.Invalid, issuer.Check(tampered, Client));
        Assert.Equal(DigestNonceValidity.Invalid, issuer.Check(nonce[..^1], Client));
        Assert.Equal(DigestNonceValidity.Invalid, issuer.Check(new string('z', DigestNonceIssuer.NonceLength), Client));
        Assert.Equal(DigestNonceValidity.Invalid, issuer.Check(string.Empty, Client));

        // Another server run has another secret.
        var other = new DigestNonceIssuer(TimeSpan.FromSeconds(60), time);
        Assert.Equal(DigestNonceValidity.Invalid, other.Check(nonce, Client));
    }
}
