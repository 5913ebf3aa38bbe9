using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.WebRtc.Ice;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// The one UDP port of every WebRTC session (<c>webrtc.port</c>). One receive loop reads into one
/// buffer and sorts each datagram by its first byte (RFC 7983 §7): 0..3 STUN (answered here, ICE-lite),
/// 20..63 DTLS and 128..191 SRTCP (handed to the session the address belongs to); everything else,
/// and anything from an unknown address or with a bad USERNAME or MESSAGE-INTEGRITY, is dropped
/// and counted. Nothing is allocated per datagram.
/// </summary>
internal sealed class WebRtcPort : ISharedDatagramPort, IAsyncDisposable
{
    /// <summary>Most datagrams in one <see cref="TrySendMany"/> (its message and iovec arrays live on the stack).</summary>
    public const int MaxBatch = 32;

    /// <summary>Largest datagram read (DTLS records from Chromium's fragmented ClientHello stay under 1500; room to spare).</summary>
    public const int ReceiveBufferLength = 4096;

    /// <summary>Kernel receive buffer: bursts of DTLS, checks and RTCP from many sessions.</summary>
    public const int SocketReceiveBytes = 1 << 20;

    /// <summary>Kernel send buffer: a frame's packets to every session at once.</summary>
    public const int SocketSendBytes = 4 << 20;

    /// <summary>Longest wait of the receive thread before it looks at the stop token (disposing also shuts the socket down, which wakes it at once).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly Socket _socket;
    private readonly WebRtcSessionTable _sessions;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly byte[] _receive = new byte[ReceiveBufferLength];
    private readonly byte[] _response = new byte[StunWriter.MaxResponseLength];
    private readonly byte[] _scratch = new byte[StunIntegrity.MaxMessageLength];
    private readonly SocketAddress _from;
    private Task? _loop;
    private bool _segment = SegmentedDatagrams.Enabled;
    private int _segmentRefusedSaid;

    private WebRtcPort(Socket socket, WebRtcSessionTable sessions, ILogger logger)
    {
        _socket = socket;
        _sessions = sessions;
        _logger = logger;
        _from = new SocketAddress(socket.AddressFamily, SocketAddress.GetMaximumAddressSize(socket.AddressFamily));
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>True when the socket takes IPv6 peers too.</summary>
    public bool DualStack => _socket.AddressFamily == AddressFamily.InterNetworkV6;

    /// <inheritdoc />
    public bool SegmentsDatagrams => Volatile.Read(ref _segment);

    /// <summary>What was received and dropped.</summary>
    public WebRtcPortCounters Counters { get; } = new();

    /// <summary>Binds <paramref name="port"/> on every address, dual-stack where the kernel has IPv6 (else IPv4 only).</summary>
    public static WebRtcPort Bind(int port, WebRtcSessionTable sessions, ILogger logger)
    {
        Socket socket;
        try
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        socket.ReceiveBufferSize = SocketReceiveBytes;
        socket.SendBufferSize = SocketSendBytes;
        socket.Blocking = false;
        return new WebRtcPort(socket, sessions, logger);
    }

    /// <summary>Starts the receive loop.</summary>
    public void Start() => _loop = Task.Factory.StartNew(ReceiveLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Sends one datagram to <paramref name="to"/> without blocking; false when the kernel buffer is full or the socket closed.</summary>
    public bool TrySendTo(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            return _socket.SendTo(datagram, SocketFlags.None, to) == datagram.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Sends datagram i = <paramref name="slots"/>[(i * stride)..][..lengths[i]] to <paramref name="to"/>
    /// for every i in one <c>sendmmsg</c> (MSG_DONTWAIT), runs of full-size packets segmented by the
    /// kernel (<see cref="SegmentedDatagrams"/>); returns how many went. Nothing allocated: the
    /// messages, iovecs and control messages are on the stack, the slots and the address pinned for the call.
    /// </summary>
    public unsafe int TrySendMany(ReadOnlySpan<byte> slots, int stride, ReadOnlySpan<int> lengths, SocketAddress to)
    {
        var count = Math.Min(lengths.Length, MaxBatch);
        if (count == 0)
        {
            return 0;
        }

        var messages = stackalloc MMsgHdr[MaxBatch];
        var iov = stackalloc IoVec[MaxBatch];
        var segments = stackalloc int[MaxBatch];
        var control = stackalloc byte[MaxBatch * SegmentedDatagrams.ControlSpace];
        var added = false;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref added);
            var fd = (int)_socket.SafeHandle.DangerousGetHandle();
            fixed (byte* data = slots)
            fixed (byte* address = to.Buffer.Span)
            {
                for (var i = 0; i < count; i++)
                {
                    iov[i].Base = data + (i * stride);
                    iov[i].Length = (nuint)lengths[i];
                }

                // EAGAIN (the send buffer is full) or an error of the peer stops it: the caller drops the rest.
                var segment = Volatile.Read(ref _segment);
                var sent = SegmentedDatagrams.Send(fd, iov, count, address, (uint)to.Size, messages, segments, control, ref segment, out var errno);
                if (!segment && Volatile.Read(ref _segment))
                {
                    OnSegmentationRefused(errno);
                }

                return sent;
            }
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
        finally
        {
            if (added)
            {
                _socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    public unsafe int SendMessages(MMsgHdr* messages, int count, out int errno) =>
        DatagramBatch.SendAll(_socket.SafeHandle, messages, count, out errno);

    /// <inheritdoc />
    public void OnSegmentationRefused(int errno)
    {
        // Both send paths stop asking; the log says it once.
        if (Interlocked.Exchange(ref _segmentRefusedSaid, 1) == 0)
        {
            WebRtcLog.SegmentationRefused(_logger, Errno.Name(errno));
        }

        Volatile.Write(ref _segment, false);
    }

    /// <summary>Handles one datagram as if received from <paramref name="from"/> (the receive loop, and tests and fuzzing).</summary>
    internal void Handle(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        Counters.AddDatagram();
        if (datagram.IsEmpty)
        {
            Counters.AddUnknownKind();
            return;
        }

        var first = datagram[0];
        if (first <= 3)
        {
            HandleStun(datagram, from);
        }
        else if (first is >= 20 and <= 63)
        {
            if (_sessions.ByAddress(from) is { } session)
            {
                session.DeliverDtls(datagram);
            }
            else
            {
                Counters.AddUnknownSource();
            }
        }
        else if (first is >= 128 and <= 191)
        {
            if (_sessions.ByAddress(from) is { } session)
            {
                session.DeliverRtcp(datagram);
            }
            else
            {
                Counters.AddUnknownSource();
            }
        }
        else
        {
            Counters.AddUnknownKind();
        }
    }

    private int _disposeStarted;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            // Wakes the receive thread's poll (even an unconnected UDP socket reports the shutdown; the call itself says ENOTCONN).
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }

        _socket.Dispose();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private void HandleStun(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (StunReader.TryRead(datagram, out var info) != StunParseStatus.Ok)
        {
            Counters.AddStunMalformed();
            return;
        }

        if (info.Type != StunConstants.BindingRequest || info.UsernameOffset < 0 || info.IntegrityOffset < 0)
        {
            // Indications (keepalives) and responses need no answer; a request without credentials gets none (ICE, RFC 8445 §7.3).
            Counters.AddStunUnauthenticated();
            return;
        }

        // USERNAME is "ourUfrag:theirUfrag" (RFC 8445 §7.2.2); our ufrags are ASCII.
        var username = datagram.Slice(info.UsernameOffset, info.UsernameLength);
        var colon = username.IndexOf((byte)':');
        var ours = colon < 0 ? username : username[..colon];
        Span<char> ufrag = stackalloc char[StunConstants.MaxUsernameLength];
        for (var i = 0; i < ours.Length; i++)
        {
            ufrag[i] = (char)ours[i];
        }

        if (_sessions.ByUfrag(ufrag[..ours.Length]) is not { } session || session.State == WebRtcSessionState.Closed)
        {
            Counters.AddStunUnknownUfrag();
            return;
        }

        var key = session.Credentials.Key;
        if (!StunIntegrity.Verify(datagram, info.IntegrityOffset, key, _scratch))
        {
            Counters.AddStunBadIntegrity();
            return;
        }

        if (session.OnValidCheck(from, info.UseCandidate) is { } learned)
        {
            _sessions.MapAddress(learned, session);
        }

        var family = WebRtcSession.Describe(from, out var port, out var address);
        var length = StunWriter.WriteBindingSuccess(_response, datagram.Slice(8, 12), family, port, address, key, _scratch);
        if (TrySendTo(_response.AsSpan(0, length), from))
        {
            Counters.AddStunAnswered();
        }
    }

    // A thread of its own that polls and reads synchronously, not ReceiveFromAsync: an async
    // operation registers the socket with the runtime's epoll for reads *and* writes (edge-
    // triggered), and then every datagram the kernel frees after a send (sock_wfree -> write space)
    // wakes the runtime's socket thread: one wake-up per media packet per session, most of the
    // daemon's CPU with 50 sessions (perf: 12% of samples in that thread's epoll_wait wake-ups,
    // 11% in sock_wfree's). poll() waits for reads only; sends stay synchronous and non-blocking.
    private void ReceiveLoop()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            int received;
            try
            {
                if (!_socket.Poll(PollInterval, SelectMode.SelectRead))
                {
                    continue;
                }

                received = _socket.ReceiveFrom(_receive, SocketFlags.None, _from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionReset or SocketError.MessageSize or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // A wake-up with nothing to read, ICMP errors of earlier sends, oversize datagrams: not fatal for the port.
                continue;
            }

            try
            {
                Handle(_receive.AsSpan(0, received), _from);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One bad datagram must not stop the port for every other session.
                WebRtcLog.DatagramFailed(_logger, e);
            }
        }
    }
}
