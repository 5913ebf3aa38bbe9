using System.Net;
using System.Net.Sockets;
using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Srtp;
using CamStreamd.WhepLoad;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Our DTLS-SRTP server against BouncyCastle's DTLS client over real loopback UDP sockets: the
/// same keys on both sides, a wrong fingerprint refused, a large ClientHello in small fragments,
/// garbage survived, close_notify noticed.
/// </summary>
public sealed class DtlsHandshakeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Create();

    [Fact]
    public async Task Handshake_completes_and_both_sides_derive_the_same_srtp_keys()
    {
        var clientIdentity = DtlsCertificate.Create("browser");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, clientIdentity.Fingerprint, sender, Timeout));
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), clientIdentity, ServerCertificate.Fingerprint);

        using var connection = await Task.Run(() => Connect(server.EndPoint, client));
        var keys = await serverRun.WaitAsync(Timeout);

        Assert.NotNull(client.Keys);
        Assert.Equal(client.Keys.ClientKey, keys.ClientKey);
        Assert.Equal(client.Keys.ServerKey, keys.ServerKey);
        Assert.Equal(client.Keys.ClientSalt, keys.ClientSalt);
        Assert.Equal(client.Keys.ServerSalt, keys.ServerSalt);
        Assert.NotEqual(keys.ClientKey, keys.ServerKey);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, keys.Profile);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, client.Keys.Profile);
        Assert.Equal(12, keys.ServerSalt.Length);
        Assert.True(server.Handshake.IsEstablished);
        output.WriteLine($"handshake: {server.Handshake.HandshakeDuration.TotalMilliseconds:0.0} ms from the first datagram, {server.Handshake.DatagramsReceived} datagrams in");
    }

    [Fact]
    public async Task A_client_that_offers_only_aes_cm_gets_aes_cm_and_media_flows_both_ways_with_its_keys()
    {
        var clientIdentity = DtlsCertificate.Create("browser");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, clientIdentity.Fingerprint, sender, Timeout));
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), clientIdentity, ServerCertificate.Fingerprint, offeredProfiles: [SrtpProfile.AesCm128HmacSha1Tag80]);

        using var connection = await Task.Run(() => Connect(server.EndPoint, client));
        var keys = await serverRun.WaitAsync(Timeout);

        Assert.Equal(SrtpProfile.AesCm128HmacSha1Tag80, keys.Profile);
        Assert.Equal(SrtpProfile.AesCm128HmacSha1Tag80, client.Keys!.Profile);
        Assert.Equal(14, keys.ServerSalt.Length);
        using var sender = new SrtpProtector(keys.Profile, keys.ServerKey, keys.ServerSalt);
        using var receiver = new SrtpUnprotector(client.Keys.Profile, client.Keys.ServerKey, client.Keys.ServerSalt);
        var packet = new byte[64];
        packet[0] = 0x80;
        packet[1] = 102;
        var length = sender.ProtectRtp(packet, 40);
        Assert.Equal(50, length);
        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(packet.AsSpan(0, length), out var plain));
        Assert.Equal(40, plain);
    }

    [Fact]
    public async Task A_client_whose_certificate_is_not_the_offered_fingerprint_is_refused()
    {
        var offered = DtlsCertificate.Create("offered");
        var presented = DtlsCertificate.Create("impostor");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, offered.Fingerprint, sender, Timeout));
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), presented, ServerCertificate.Fingerprint);

        var clientFailure = await Assert.ThrowsAnyAsync<IOException>(() => Task.Run(() => Connect(server.EndPoint, client).Dispose()));
        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => serverRun.WaitAsync(Timeout));

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, failure.Reason);
        Assert.Contains(offered.Fingerprint.Value, failure.Message, StringComparison.Ordinal);
        Assert.Contains(presented.Fingerprint.Value, failure.Message, StringComparison.Ordinal);
        Assert.Equal(AlertDescription.bad_certificate, client.AlertReceived);
        Assert.False(server.Handshake.IsEstablished);
        output.WriteLine($"server: {failure.Message}; client: {clientFailure.Message}");
    }

    [Fact]
    public async Task A_large_client_hello_in_small_fragments_is_reassembled()
    {
        var clientIdentity = DtlsCertificate.Create("browser");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, clientIdentity.Fingerprint, sender, Timeout));
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        // 1.6 KB of padding: a ClientHello the size of Chromium's with an X25519MLKEM768 key share,
        // sent in datagrams of at most 200 bytes (ten or more fragments).
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), clientIdentity, ServerCertificate.Fingerprint, paddingLength: 1600);

        using var connection = await Task.Run(() => Connect(server.EndPoint, client, sendLimit: 200));
        var keys = await serverRun.WaitAsync(Timeout);

        Assert.Equal(client.Keys!.ServerKey, keys.ServerKey);
        Assert.True(server.Handshake.DatagramsReceived >= 10, $"only {server.Handshake.DatagramsReceived} datagrams: the ClientHello was not fragmented");
    }

    [Fact]
    public async Task Garbage_datagrams_end_in_a_timeout_not_a_crash_or_a_hang()
    {
        var clientIdentity = DtlsCertificate.Create("browser");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, clientIdentity.Fingerprint, sender, TimeSpan.FromSeconds(2)));
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server.EndPoint);
        var random = new Random(16);
        var datagram = new byte[1400];
        for (var i = 0; i < 500; i++)
        {
            var length = random.Next(1, datagram.Length);
            random.NextBytes(datagram.AsSpan(0, length));
            // Half look like DTLS records (content type 20..25, version FEFD) so they get past the first byte.
            if (i % 2 == 0 && length > 13)
            {
                datagram[0] = (byte)(20 + (i % 6));
                datagram[1] = 0xFE;
                datagram[2] = 0xFD;
            }

            socket.Send(datagram.AsSpan(0, length));
        }

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => serverRun.WaitAsync(Timeout));

        Assert.Contains(failure.Reason, new[] { DtlsFailureReason.Timeout, DtlsFailureReason.ProtocolError });
        Assert.True(server.Handshake.DatagramsReceived + server.Handshake.DatagramsDropped > 0);
        output.WriteLine($"{failure.Reason}: {failure.Message}; {server.Handshake.DatagramsReceived} queued, {server.Handshake.DatagramsDropped} dropped");
    }

    [Fact]
    public async Task Close_notify_after_the_handshake_ends_the_association()
    {
        var clientIdentity = DtlsCertificate.Create("browser");
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, clientIdentity.Fingerprint, sender, Timeout));
        var closed = new TaskCompletionSource<DtlsCloseReason>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handshake.Closed += reason => closed.TrySetResult(reason);
        var serverRun = server.Handshake.RunAsync(CancellationToken.None);
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), clientIdentity, ServerCertificate.Fingerprint);
        var connection = await Task.Run(() => Connect(server.EndPoint, client));
        await serverRun.WaitAsync(Timeout);
        Assert.False(server.Handshake.IsClosed);

        connection.Dispose();

        Assert.Equal(DtlsCloseReason.CloseNotify, await closed.Task.WaitAsync(Timeout));
        Assert.True(server.Handshake.IsClosed);
    }

    [Fact]
    public async Task Cancelling_a_handshake_that_never_starts_says_so()
    {
        using var server = new LoopbackDtlsServer(sender => new DtlsSrtpHandshake(ServerCertificate, DtlsCertificate.Create().Fingerprint, sender, Timeout));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var failure = await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.Handshake.RunAsync(cancel.Token).WaitAsync(Timeout));

        Assert.Equal(DtlsFailureReason.Cancelled, failure.Reason);
    }

    private static ClientConnection Connect(IPEndPoint server, DtlsSrtpClient client, int sendLimit = 1200)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        try
        {
            var transport = new DtlsClientProtocol().Connect(client, new UdpDatagramTransport(socket, sendLimit));
            return new ClientConnection(socket, transport);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class ClientConnection(Socket socket, DtlsTransport transport) : IDisposable
    {
        public void Dispose()
        {
            transport.Close();
            socket.Dispose();
        }
    }
}
