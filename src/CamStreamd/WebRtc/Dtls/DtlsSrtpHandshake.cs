using System.Diagnostics;
using CamStreamd.WebRtc.Srtp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CamStreamd.WebRtc.Dtls;

/// <summary>
/// The DTLS side of one WebRTC session, server role (we answer, the browser is the DTLS client:
/// RFC 8842 a=setup:passive). The plane delivers each DTLS datagram (first byte 20..63, RFC 7983)
/// with <see cref="Deliver"/>, which only copies it into a bounded queue; <see cref="RunAsync"/>
/// runs the handshake on its own thread and returns the SRTP keys. After the handshake the same
/// queue carries alerts: close_notify or a fatal alert raises <see cref="Closed"/>.
/// </summary>
public sealed class DtlsSrtpHandshake : IDisposable
{
    /// <summary>Largest datagram accepted. Chromium fragments its (post-quantum sized) ClientHello into MTU-sized datagrams; anything larger is dropped and counted.</summary>
    public const int MaxDatagramLength = 4096;

    /// <summary>Largest datagram we send: our certificate flight is fragmented to fit the 1200 bytes every WebRTC path carries.</summary>
    public const int MaxSendLength = 1200;

    /// <summary>Datagrams waiting for the handshake thread; more are dropped (a flight is a handful; the client retransmits).</summary>
    public const int QueueCapacity = 64;

    /// <summary>Default time a handshake may take from <see cref="RunAsync"/> until the keys.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly SecureRandom Random = new();

    private readonly DtlsDatagramQueue _queue;
    private readonly DtlsSrtpServer _server;
    private readonly TimeSpan _timeout;
    private readonly Lock _transportGate = new();
    private readonly byte[] _pumpBuffer = new byte[MaxDatagramLength];
    private DtlsTransport? _transport;
    private long _firstDatagramTimestamp;
    private int _pumpScheduled;
    private int _started;
    private int _closeReason = -1;

    /// <summary>Creates the handshake of one session.</summary>
    /// <param name="certificate">Our certificate (its fingerprint went into the answer).</param>
    /// <param name="expectedClientFingerprint">The a=fingerprint of the client's offer; any other certificate is refused.</param>
    /// <param name="sender">Sends to the client's address (the one its ICE checks came from).</param>
    /// <param name="timeout">Longest handshake, <see cref="DefaultTimeout"/> when null.</param>
    public DtlsSrtpHandshake(DtlsCertificate certificate, DtlsFingerprint expectedClientFingerprint, IDatagramSender sender, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedClientFingerprint);
        ArgumentNullException.ThrowIfNull(sender);
        _timeout = timeout ?? DefaultTimeout;
        _queue = new DtlsDatagramQueue(sender, QueueCapacity, MaxDatagramLength, MaxSendLength);
        _server = new DtlsSrtpServer(new BcTlsCrypto(Random), certificate, expectedClientFingerprint, (int)_timeout.TotalMilliseconds);
        _queue.TransportClosed += OnTransportClosed;
        _server.AlertReceived += OnAlertReceived;
    }

    /// <summary>Raised once when an established association ends (close_notify, fatal alert, or <see cref="Close"/>), on the thread that noticed.</summary>
    public event Action<DtlsCloseReason>? Closed;

    /// <summary>The SRTP keys once the handshake completed, else null.</summary>
    public SrtpKeyMaterial? Keys => _server.Keys;

    /// <summary>True once the handshake completed.</summary>
    public bool IsEstablished => Volatile.Read(ref _transport) is not null;

    /// <summary>True once the association ended (see <see cref="CloseReason"/>).</summary>
    public bool IsClosed => Volatile.Read(ref _closeReason) >= 0;

    /// <summary>Why it ended, or null while open.</summary>
    public DtlsCloseReason? CloseReason => Volatile.Read(ref _closeReason) is var r and >= 0 ? (DtlsCloseReason)r : null;

    /// <summary>From the first datagram delivered to the keys (zero until done).</summary>
    public TimeSpan HandshakeDuration { get; private set; }

    /// <summary>DTLS datagrams accepted into the queue.</summary>
    public long DatagramsReceived => _queue.Received;

    /// <summary>DTLS datagrams dropped: too large, queue full, or after close.</summary>
    public long DatagramsDropped => _queue.Dropped;

    /// <summary>Our handshake datagrams the sender refused (each is retransmitted by the DTLS timer).</summary>
    public long SendFailures => _queue.SendFailures;

    /// <summary>
    /// Hands over one DTLS datagram from the client. Copies it and returns at once (never blocks
    /// the UDP receive loop); false when dropped (too large, queue full, closed), which is counted.
    /// </summary>
    public bool Deliver(ReadOnlySpan<byte> datagram)
    {
        if (Interlocked.Read(ref _firstDatagramTimestamp) == 0)
        {
            Interlocked.CompareExchange(ref _firstDatagramTimestamp, Stopwatch.GetTimestamp(), 0);
        }

        if (!_queue.Enqueue(datagram))
        {
            return false;
        }

        if (IsEstablished && !IsClosed && Interlocked.Exchange(ref _pumpScheduled, 1) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.Pump(), this, preferLocal: false);
        }

        return true;
    }

    /// <summary>
    /// Runs the handshake on a dedicated thread (BouncyCastle's protocol is blocking) and returns
    /// the SRTP keys. Throws <see cref="DtlsHandshakeException"/> naming the reason on failure
    /// (timeout, cancellation, wrong fingerprint, no SRTP profile, alert, protocol error). Once only.
    /// </summary>
    public Task<SrtpKeyMaterial> RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The handshake runs once.");
        }

        return Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Ends the association: sends close_notify when established, stops a running handshake.</summary>
    public void Close()
    {
        lock (_transportGate)
        {
            if (_transport is not null && !IsClosed)
            {
                SetClosed(DtlsCloseReason.Local);
                try
                {
                    _transport.Close();
                }
                catch (IOException)
                {
                    // The close_notify is a courtesy; the session ends either way.
                }
            }
        }

        SetClosed(DtlsCloseReason.Local);
        _queue.Close();
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    private SrtpKeyMaterial Run(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // BouncyCastle's own handshake timeout normally fires first; this also ends a wait for a first datagram that never comes.
        limit.CancelAfter(_timeout + TimeSpan.FromSeconds(1));
        _queue.SetCancellation(limit.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var protocol = new DtlsServerProtocol();
            var transport = protocol.Accept(_server, _queue);
            var keys = _server.Keys ?? throw new DtlsHandshakeException(DtlsFailureReason.ProtocolError, "the handshake completed without SRTP keys");
            var first = Interlocked.Read(ref _firstDatagramTimestamp);
            HandshakeDuration = Stopwatch.GetElapsedTime(first != 0 ? first : started);
            lock (_transportGate)
            {
                Volatile.Write(ref _transport, transport);
            }

            _queue.SetCancellation(CancellationToken.None);
            if (_queue.Count > 0 && Interlocked.Exchange(ref _pumpScheduled, 1) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static self => self.Pump(), this, preferLocal: false);
            }

            return keys;
        }
        catch (Exception e) when (e is not DtlsHandshakeException)
        {
            _queue.Close();
            throw Translate(e, cancellationToken, limit.Token);
        }
    }

    private DtlsHandshakeException Translate(Exception e, CancellationToken caller, CancellationToken limit)
    {
        if (caller.IsCancellationRequested)
        {
            return new DtlsHandshakeException(DtlsFailureReason.Cancelled, "DTLS handshake cancelled", e);
        }

        if (e is TlsTimeoutException || limit.IsCancellationRequested || e.InnerException is OperationCanceledException)
        {
            return new DtlsHandshakeException(DtlsFailureReason.Timeout, $"DTLS handshake did not complete within {_timeout.TotalSeconds:0.#} s ({DatagramsReceived} datagrams received)", e);
        }

        if (_server.Refusal != DtlsFailureReason.None)
        {
            return new DtlsHandshakeException(_server.Refusal, "DTLS handshake refused: " + _server.RefusalDetail, e);
        }

        if (e is TlsFatalAlertReceived received)
        {
            return new DtlsHandshakeException(DtlsFailureReason.AlertReceived, $"DTLS handshake failed: the client sent {AlertDescription.GetText(received.AlertDescription)}", e);
        }

        var detail = _server.RefusalDetail ?? e.Message;
        return new DtlsHandshakeException(DtlsFailureReason.ProtocolError, "DTLS handshake failed: " + detail, e);
    }

    /// <summary>After the handshake: reads what the client sends (alerts, a repeated last flight that BouncyCastle answers) on a pool thread, only while datagrams wait.</summary>
    private void Pump()
    {
        while (true)
        {
            lock (_transportGate)
            {
                var transport = _transport;
                while (transport is not null && !IsClosed && _queue.Count > 0)
                {
                    try
                    {
                        // Application data (a data channel) is not used; what it returns is dropped.
                        transport.Receive(_pumpBuffer, 0, _pumpBuffer.Length, 1);
                    }
                    catch (TlsFatalAlertReceived)
                    {
                        SetClosed(DtlsCloseReason.FatalAlert);
                    }
                    catch (IOException)
                    {
                        SetClosed(DtlsCloseReason.FatalAlert);
                    }
                }
            }

            Volatile.Write(ref _pumpScheduled, 0);
            if (IsClosed || _queue.Count == 0 || Interlocked.Exchange(ref _pumpScheduled, 1) != 0)
            {
                return;
            }
        }
    }

    private void OnAlertReceived(short level, short description)
    {
        if (!IsEstablished)
        {
            return;
        }

        if (level == AlertLevel.fatal)
        {
            SetClosed(DtlsCloseReason.FatalAlert);
        }
        else if (description == AlertDescription.close_notify)
        {
            SetClosed(DtlsCloseReason.CloseNotify);
        }
    }

    private void OnTransportClosed()
    {
        if (IsEstablished)
        {
            SetClosed(DtlsCloseReason.FatalAlert);
        }
    }

    private void SetClosed(DtlsCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) == -1 && IsEstablished)
        {
            Closed?.Invoke(reason);
        }
    }
}
