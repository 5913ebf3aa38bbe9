using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using CamStreamd.Configuration;
using CamStreamd.WebRtc.Ice;
using CamStreamd.WebRtc.Plane;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.WebRtc.Plane;

/// <summary>
/// The plane on a real loopback UDP port: offers answered, ICE checks answered with the peer's
/// address and our integrity, hostile checks and datagrams dropped and counted, the session budget,
/// and sessions that never connect or lose consent reaped on a manual clock.
/// </summary>
public sealed partial class WebRtcPlaneTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_valid_check_is_answered_and_hostile_ones_are_dropped_and_counted()
    {
        await using var plane = Started(new WebRtcOptions(Port: 0), TimeProvider.System);
        using var hub = WebRtcTestOffers.MainProfileHub();
        var result = plane.Offer(hub, WebRtcTestOffers.Chromium, IPAddress.Loopback);
        Assert.Equal(WhepOfferStatus.Created, result.Status);
        var answer = result.Answer!;
        Assert.Contains($"a=candidate:", answer, StringComparison.Ordinal);
        Assert.Contains($" 127.0.0.1 {plane.Port} typ host", answer, StringComparison.Ordinal);
        Assert.Contains("profile-level-id=4d401f", answer, StringComparison.Ordinal);
        Assert.Contains($"a=fingerprint:sha-256 {plane.LocalFingerprint}", answer, StringComparison.Ordinal);
        var ufrag = Ufrag().Match(answer).Groups[1].Value;
        var password = Pwd().Match(answer).Groups[1].Value;

        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, plane.Port!.Value);
        var session = result.Session!;

        // Wrong password, unknown ufrag, garbage, DTLS and RTCP from an address no check came from: all dropped, counted.
        await client.SendAsync(Check(ufrag, "wrong-password-wrong-password", 1, false), server);
        await client.SendAsync(Check("nosuchufrag", password, 2, false), server);
        await client.SendAsync(new byte[] { 0x01, 0x02, 0x03 }, server);
        await client.SendAsync(new byte[] { 22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20 }, server);
        await client.SendAsync(new byte[] { 0x80, 200, 0, 1, 0, 0, 0, 0 }, server);
        await client.SendAsync(new byte[] { 0x70, 1, 2 }, server);

        // Then a valid one with USE-CANDIDATE: the first datagram back is its answer (nothing was answered before it).
        await client.SendAsync(Check(ufrag, password, 3, true), server);
        using var timeout = new CancellationTokenSource(Wait);
        var response = await client.ReceiveAsync(timeout.Token);
        Assert.Equal(StunParseStatus.Ok, StunReader.TryRead(response.Buffer, out var info));
        Assert.Equal(StunConstants.BindingSuccess, info.Type);
        Assert.Equal(3, response.Buffer[19]);
        Assert.True(StunIntegrity.Verify(response.Buffer, info.IntegrityOffset, System.Text.Encoding.UTF8.GetBytes(password), new byte[1500]));
        Assert.Equal((IPEndPoint)client.Client.LocalEndPoint!, StunReader.MappedEndPoint(response.Buffer, info));

        // The port counts an answer once its sendto has returned, which can be after the client
        // already holds it (seen on a loaded CI machine): wait for the count, bounded.
        var answeredBy = DateTime.UtcNow + Wait;
        while (plane.Counters.StunAnswered == 0 && DateTime.UtcNow < answeredBy)
        {
            await Task.Delay(10);
        }

        var counters = plane.Counters;
        Assert.Equal(1, counters.StunBadIntegrity);
        Assert.Equal(1, counters.StunUnknownUfrag);
        Assert.Equal(1, counters.StunMalformed);
        Assert.Equal(2, counters.UnknownSource);
        Assert.Equal(1, counters.UnknownKind);
        Assert.Equal(1, counters.StunAnswered);
        Assert.Equal(WebRtcSessionState.Connecting, session.State);
        Assert.Equal(client.Client.LocalEndPoint!.ToString(), session.SelectedEndPoint!.ToString().Replace("[::ffff:", "", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offers_past_maxSessions_are_refused_and_per_address_shares_hold()
    {
        await using var plane = Started(new WebRtcOptions(Port: 0, MaxSessions: 8), TimeProvider.System);
        using var hub = WebRtcTestOffers.MainProfileHub();
        var flood = IPAddress.Parse("127.0.0.2");
        Assert.Equal(WhepOfferStatus.Created, plane.Offer(hub, WebRtcTestOffers.Chromium, flood).Status);
        Assert.Equal(WhepOfferStatus.Created, plane.Offer(hub, WebRtcTestOffers.Chromium, flood).Status);
        var refused = plane.Offer(hub, WebRtcTestOffers.Chromium, flood);
        Assert.Equal(WhepOfferStatus.Full, refused.Status);
        Assert.Contains("webrtc.maxSessions", refused.Reason, StringComparison.Ordinal);

        // Another address is still served.
        Assert.Equal(WhepOfferStatus.Created, plane.Offer(hub, WebRtcTestOffers.Chromium, IPAddress.Loopback).Status);
        Assert.Equal(3, plane.Sessions.Count);
    }

    [Fact]
    public async Task Bad_offers_are_refused_with_the_reason()
    {
        await using var plane = Started(new WebRtcOptions(Port: 0), TimeProvider.System);
        using var hub = WebRtcTestOffers.MainProfileHub();
        Assert.Contains("no video", Refuse(plane, hub, "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:a\r\n"), StringComparison.Ordinal);
        Assert.Contains("offered: 102 ConstrainedBaseline 42e01f", Refuse(plane, hub, WebRtcTestOffers.OnlyProfile("42e01f")), StringComparison.Ordinal);
        Assert.Contains("fingerprint", Refuse(plane, hub, WebRtcTestOffers.Chromium.Replace("a=fingerprint:sha-256", "a=fingerprint:sha-1", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("not type=value", Refuse(plane, hub, "garbage"), StringComparison.Ordinal);
        Assert.Empty(plane.Sessions);
    }

    [Fact]
    public async Task A_session_that_never_connects_is_reaped_and_one_without_consent_too()
    {
        var clock = new ManualTimeProvider();
        await using var plane = Started(new WebRtcOptions(Port: 0), clock);
        using var hub = WebRtcTestOffers.MainProfileHub();
        var idle = plane.Offer(hub, WebRtcTestOffers.Chromium, IPAddress.Loopback).Session!;
        clock.Advance(plane.ConnectTimeout - TimeSpan.FromSeconds(1));
        plane.Sweep();
        Assert.Equal(WebRtcSessionState.New, idle.State);
        clock.Advance(TimeSpan.FromSeconds(2));
        plane.Sweep();
        Assert.Equal(WebRtcSessionState.Closed, idle.State);
        Assert.Contains("no valid ICE check", idle.CloseReason, StringComparison.Ordinal);
        Assert.Empty(plane.Sessions);
        Assert.Equal(0, plane.Budget.Count);
    }

    private static string Refuse(WebRtcPlane plane, CamStreamd.Media.StreamHub hub, string offer)
    {
        var result = plane.Offer(hub, offer, IPAddress.Loopback);
        Assert.Equal(WhepOfferStatus.BadOffer, result.Status);
        return result.Reason!;
    }

    private static WebRtcPlane Started(WebRtcOptions options, TimeProvider time)
    {
        var plane = new WebRtcPlane(options, time, NullLoggerFactory.Instance);
        plane.Start();
        Assert.NotNull(plane.Port);
        return plane;
    }

    private static byte[] Check(string ourUfrag, string password, byte transaction, bool useCandidate)
    {
        var buffer = new byte[512];
        var id = new byte[12];
        id[11] = transaction;
        var length = StunWriter.WriteBindingRequest(buffer, id, System.Text.Encoding.ASCII.GetBytes($"{ourUfrag}:{WebRtcTestOffers.ChromiumUfrag}"), 0x6e0001ff, 42, useCandidate, System.Text.Encoding.UTF8.GetBytes(password), new byte[1500]);
        return buffer[..length];
    }

    [GeneratedRegex("a=ice-ufrag:(\\S+)")]
    private static partial Regex Ufrag();

    [GeneratedRegex("a=ice-pwd:(\\S+)")]
    private static partial Regex Pwd();
}
