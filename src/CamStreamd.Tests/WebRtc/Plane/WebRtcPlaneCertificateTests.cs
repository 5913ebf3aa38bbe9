using System.Net;
using System.Text.RegularExpressions;
using CamStreamd.Configuration;
using CamStreamd.WebRtc.Plane;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.WebRtc.Plane;

/// <summary>
/// The plane's DTLS certificate is made on the first offer, not at start, and once: offers racing
/// for it from many threads all answer with one fingerprint, and it stays for the plane's life.
/// </summary>
public sealed partial class WebRtcPlaneCertificateTests
{
    [Fact]
    public async Task No_certificate_until_the_first_offer_then_one_fingerprint_for_every_answer()
    {
        await using var plane = new WebRtcPlane(new WebRtcOptions(Port: 0, MaxSessions: 64), TimeProvider.System, NullLoggerFactory.Instance);
        plane.Start();
        Assert.NotNull(plane.Port);
        Assert.False(plane.CertificateMade);
        Assert.Equal("", plane.LocalFingerprint);
        Assert.Null(plane.Feeds);

        // Eight first offers at once (a page opening several players): one certificate.
        using var hub = WebRtcTestOffers.MainProfileHub();
        using var start = new Barrier(8);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            var result = plane.Offer(hub, WebRtcTestOffers.Chromium, IPAddress.Loopback);
            Assert.Equal(WhepOfferStatus.Created, result.Status);
            return result.Answer!;
        })));

        Assert.True(plane.CertificateMade);
        Assert.NotNull(plane.Feeds);
        var fingerprint = plane.LocalFingerprint;
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", fingerprint);
        Assert.All(answers, answer => Assert.Equal(fingerprint, Fingerprint().Match(answer).Groups[1].Value));

        // A later offer, after the first sessions ended, still carries it.
        foreach (var session in plane.Sessions)
        {
            session.Close("test");
        }

        var later = plane.Offer(hub, WebRtcTestOffers.Chromium, IPAddress.Loopback);
        Assert.Equal(fingerprint, Fingerprint().Match(later.Answer!).Groups[1].Value);
    }

    [GeneratedRegex(@"a=fingerprint:sha-256 (\S+)")]
    private static partial Regex Fingerprint();
}
