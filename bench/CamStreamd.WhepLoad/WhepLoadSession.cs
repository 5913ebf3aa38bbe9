using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Ice;
using CamStreamd.WebRtc.Srtp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CamStreamd.WhepLoad;

/// <summary>
/// One WHEP session of the load client, as a browser plays it: POST the offer, an ICE check with
/// USE-CANDIDATE (and, from <see cref="WhepLoadRun"/>, one every <see cref="ConsentInterval"/>
/// after, so the 30 s consent timeout keeps it), DTLS as the client with use_srtp, then SRTP
/// counted as <see cref="WhepLoadRun"/>'s receive thread drains the socket. Packets are
/// authenticated and decrypted (the first <see cref="VerifyFirst"/>, then one in
/// <c>verifyEvery</c>, so fifty sessions cost the load machine little); DELETE at the end.
/// The socket only ever sees synchronous calls: an async one would register it with the
/// runtime's epoll, and its wake-ups would differ from rtspload's, whose cost the daemon's
/// sends pay (a sender wakes its receiver).
/// </summary>
internal sealed class WhepLoadSession : IAsyncDisposable
{
    /// <summary>Time between consent checks (RFC 7675 allows 30 s without one; browsers send one every ~5 s).</summary>
    public static readonly TimeSpan ConsentInterval = TimeSpan.FromSeconds(5);

    /// <summary>Packets authenticated and decrypted before sampling starts.</summary>
    public const int VerifyFirst = 100;

    private static readonly TimeSpan IceTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan IceRetry = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly DtlsCertificate _identity;
    private readonly int _verifyEvery;
    private readonly string _ufrag = RandomToken(8);
    private readonly string _password = RandomToken(24);
    private readonly byte[] _check = new byte[256];
    private readonly byte[] _checkScratch = new byte[1500];
    private Socket? _socket;
    private WhepAnswer? _answer;
    private Uri? _location;
    private SrtpUnprotector? _unprotector;
    private long _sampled;
    private long _packets;
    private long _bytes;
    private long _verified;
    private long _authFailures;
    private long _badPayloads;
    private long _rtcp;
    private long _stunAnswers;

    public WhepLoadSession(HttpClient http, Uri endpoint, DtlsCertificate identity, int verifyEvery)
    {
        _http = http;
        _endpoint = endpoint;
        _identity = identity;
        _verifyEvery = Math.Max(1, verifyEvery);
    }

    /// <summary>SRTP packets received (RTP, not RTCP).</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>SRTP bytes received (whole datagrams).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Packets whose tag checked out and that decrypted into an H.264 RTP payload.</summary>
    public long Verified => Interlocked.Read(ref _verified);

    /// <summary>Packets checked whose tag did not match (or that were replays).</summary>
    public long AuthFailures => Interlocked.Read(ref _authFailures);

    /// <summary>Packets that authenticated but whose payload is not an H.264 NAL unit, FU-A or STAP-A.</summary>
    public long BadPayloads => Interlocked.Read(ref _badPayloads);

    /// <summary>SRTCP packets received (the daemon's sender reports).</summary>
    public long Rtcp => Interlocked.Read(ref _rtcp);

    /// <summary>Answers to our ICE checks.</summary>
    public long StunAnswers => Interlocked.Read(ref _stunAnswers);

    /// <summary>The payload type the daemon chose.</summary>
    public int PayloadType => _answer?.PayloadType ?? -1;

    /// <summary>Offer, ICE, DTLS; then the receive and consent loops run until disposed. Throws naming the step that failed.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using (var content = new StringContent(WhepOffer.Build(_ufrag, _password, _identity.Fingerprint), System.Text.Encoding.ASCII))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/sdp");
            using var response = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST {_endpoint}: {(int)response.StatusCode} {body}");
            }

            _location = new Uri(_endpoint, response.Headers.Location ?? throw new InvalidOperationException("201 without Location"));
            _answer = WhepAnswer.Parse(body);
        }

        var remote = _answer.Pick(IPAddress.TryParse(_endpoint.Host, out var host) ? host : IPAddress.Loopback);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(remote.Address.Equals(IPAddress.Loopback) ? IPAddress.Loopback : IPAddress.Any, 0));
        _socket.Connect(remote);
        _socket.ReceiveBufferSize = 1 << 20;
        var client = new DtlsSrtpClient(new BcTlsCrypto(new SecureRandom()), _identity, _answer.Fingerprint);
        var socket = _socket;
        await Task.Run(
            () =>
            {
                Check(socket);
                new DtlsClientProtocol().Connect(client, new UdpDatagramTransport(socket, dtlsOnly: true));
            },
            cancellationToken).ConfigureAwait(false);
        var keys = client.Keys ?? throw new InvalidOperationException("DTLS finished without SRTP keys");
        _unprotector = new SrtpUnprotector(keys.Profile, keys.ServerKey, keys.ServerSalt);
        socket.Blocking = false;
    }

    /// <summary>The session's socket once connected (for the run's receive thread).</summary>
    internal Socket Socket => _socket ?? throw new InvalidOperationException("not connected");

    /// <summary>Consent freshness: one more check (the run's timer thread; nothing else writes checks after the connect).</summary>
    internal void SendConsentCheck()
    {
        try
        {
            _socket?.Send(_check.AsSpan(0, WriteCheck(useCandidate: true)));
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            // Ending.
        }
    }

    /// <summary>Reads every datagram waiting on the socket (receive thread only) and counts it.</summary>
    internal void Drain(byte[] buffer)
    {
        while (true)
        {
            var length = _socket!.Receive(buffer, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                return;
            }

            OnDatagram(buffer.AsSpan(0, length));
        }
    }

    /// <summary>Stops the loops, DELETEs the session (the daemon ends it at once) and closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_location is not null)
        {
            try
            {
                using var deleted = await _http.DeleteAsync(_location).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // The daemon is gone already: nothing to end.
            }
        }

        _socket?.Dispose();
        _unprotector?.Dispose();
    }

    private static string RandomToken(int length)
    {
        // ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.4).
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        return RandomNumberGenerator.GetString(Alphabet, length);
    }

    private int WriteCheck(bool useCandidate)
    {
        Span<byte> transaction = stackalloc byte[12];
        RandomNumberGenerator.Fill(transaction);
        // USERNAME is "their ufrag:our ufrag"; the key their password (RFC 8445 §7.2.2); priority of a host candidate.
        return StunWriter.WriteBindingRequest(_check, transaction, System.Text.Encoding.ASCII.GetBytes($"{_answer!.Ufrag}:{_ufrag}"), 0x7E00_00FF, (ulong)Random.Shared.NextInt64(), useCandidate, System.Text.Encoding.UTF8.GetBytes(_answer.Password), _checkScratch);
    }

    // The nomination: checks until one is answered (the daemon answers only checks with its ufrag and our integrity).
    private void Check(Socket socket)
    {
        var buffer = new byte[1500];
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < IceTimeout)
        {
            socket.Send(_check.AsSpan(0, WriteCheck(useCandidate: true)));
            var sent = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(sent) < IceRetry && socket.Poll(IceRetry, SelectMode.SelectRead))
            {
                var length = socket.Receive(buffer);
                if (StunReader.TryRead(buffer.AsSpan(0, length), out var info) == StunParseStatus.Ok && info.Type == StunConstants.BindingSuccess)
                {
                    Interlocked.Increment(ref _stunAnswers);
                    return;
                }
            }
        }

        throw new TimeoutException($"no answer to ICE checks from {socket.RemoteEndPoint} within {IceTimeout.TotalSeconds:0} s");
    }

    private void OnDatagram(Span<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return;
        }

        var first = datagram[0];
        if (first is >= 128 and <= 191)
        {
            // RTP or RTCP (RFC 5761 §4: RTCP packet types 192..223 in the second byte).
            if (datagram.Length > 1 && datagram[1] is >= 192 and <= 223)
            {
                Interlocked.Increment(ref _rtcp);
                return;
            }

            Interlocked.Increment(ref _packets);
            Interlocked.Add(ref _bytes, datagram.Length);
            if (_sampled++ < VerifyFirst || _sampled % _verifyEvery == 0)
            {
                Verify(datagram);
            }
        }
        else if (first <= 3)
        {
            Interlocked.Increment(ref _stunAnswers);
        }
    }

    private void Verify(Span<byte> packet)
    {
        if (_unprotector!.UnprotectRtp(packet, out var length) != SrtpResult.Ok)
        {
            Interlocked.Increment(ref _authFailures);
            return;
        }

        // The decrypted payload starts with an H.264 NAL header: F bit clear, type 1..23 (single), 24 (STAP-A) or 28 (FU-A).
        var headerLength = SrtpPacket.RtpHeaderLength(packet[..length]);
        var nal = headerLength >= 0 && headerLength < length ? packet[headerLength] : (byte)0x80;
        var type = nal & 0x1F;
        if ((nal & 0x80) == 0 && (type is >= 1 and <= 24 || type == 28) && (packet[1] & 0x7F) == _answer!.PayloadType)
        {
            Interlocked.Increment(ref _verified);
        }
        else
        {
            Interlocked.Increment(ref _badPayloads);
        }
    }
}
