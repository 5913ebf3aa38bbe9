using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.WebRtc.Ice;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// One WHEP session: created by the POST with our ICE credentials, it learns the browser's address
/// from its first valid ICE check (the one USE-CANDIDATE names is then used for sending), runs the
/// DTLS handshake over it, and plays once the SRTP keys are in place. It ends on DELETE, when no
/// valid check came for the consent timeout (RFC 7675), when it never connected, or when the stream
/// or the DTLS association goes away. It is held in the plane's <see cref="ConnectionBudget"/>.
/// </summary>
public sealed partial class WebRtcSession : IBudgetedConnection, IDatagramSender, ISharedPortPeer, IDisposable
{
    private readonly WebRtcPort _port;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private SocketAddress? _selected;
    private long _lastConsent;
    private int _state;
    private int _checks;

    internal WebRtcSession(string id, StreamHub hub, IceCredentials credentials, string remoteUfrag, string remoteFingerprint, int payloadType, uint ssrc, IPAddress httpPeer, WebRtcPort port, TimeProvider time)
    {
        Id = id;
        Hub = hub;
        Credentials = credentials;
        RemoteUfrag = remoteUfrag;
        RemoteFingerprint = remoteFingerprint;
        PayloadType = payloadType;
        Ssrc = ssrc;
        RemoteAddress = httpPeer;
        _port = port;
        _time = time;
        CreatedTimestamp = time.GetTimestamp();
        CreatedAt = time.GetUtcNow();
    }

    /// <summary>Raised once when the session ends, with the reason.</summary>
    public event Action<WebRtcSession, string>? Closed;

    /// <summary>The session id (the last segment of its WHEP resource URL).</summary>
    public string Id { get; }

    /// <summary>The stream played.</summary>
    public StreamHub Hub { get; }

    /// <summary>The stream's name.</summary>
    public string StreamName => Hub.Name;

    /// <summary>The H.264 payload type agreed in the answer.</summary>
    public int PayloadType { get; }

    /// <summary>The SSRC announced in the answer.</summary>
    public uint Ssrc { get; }

    /// <summary>The a=fingerprint value of the browser's offer (its DTLS certificate must match).</summary>
    public string RemoteFingerprint { get; }

    /// <summary>The browser's ice-ufrag.</summary>
    public string RemoteUfrag { get; }

    /// <summary>The HTTP peer that created the session (what the budget counts per address).</summary>
    public IPAddress RemoteAddress { get; }

    /// <summary>When the session was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The state.</summary>
    public WebRtcSessionState State => (WebRtcSessionState)Volatile.Read(ref _state);

    /// <summary>Why the session ended, once it has.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Valid ICE checks received.</summary>
    public int ChecksReceived => Volatile.Read(ref _checks);

    /// <summary>The address media are sent to (the nominated pair's), or null before the first valid check.</summary>
    public IPEndPoint? SelectedEndPoint
    {
        get
        {
            var selected = Volatile.Read(ref _selected);
            return selected is null ? null : (IPEndPoint)new IPEndPoint(IPAddress.IPv6Any, 0).Create(selected);
        }
    }

    /// <inheritdoc />
    public EvictionRank Rank =>
        State == WebRtcSessionState.New && _time.GetElapsedTime(CreatedTimestamp) > EvictableAfter
            ? new EvictionRank(true, EvictionRank.NoRequestYet, CreatedTimestamp)
            : EvictionRank.Never;

    internal IceCredentials Credentials { get; }

    internal long CreatedTimestamp { get; }

    internal long LastConsentTimestamp => Interlocked.Read(ref _lastConsent);

    // A session that has not connected after this long may make room for a newcomer (a browser needs well under a second).
    private static TimeSpan EvictableAfter => TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        var selected = Volatile.Read(ref _selected);
        return selected is not null && State != WebRtcSessionState.Closed && _port.TrySendTo(datagram, selected);
    }

    /// <inheritdoc />
    public int TrySendMany(ReadOnlySpan<byte> slots, int stride, ReadOnlySpan<int> lengths)
    {
        var selected = Volatile.Read(ref _selected);
        return selected is null || State == WebRtcSessionState.Closed ? 0 : _port.TrySendMany(slots, stride, lengths, selected);
    }

    /// <inheritdoc />
    bool ISharedPortPeer.TryGetRoute(out ISharedDatagramPort port, out SocketAddress peer)
    {
        port = _port;
        peer = Volatile.Read(ref _selected)!;
        return peer is not null && State != WebRtcSessionState.Closed;
    }

    /// <inheritdoc />
    public void Evict() => Close("evicted for a newcomer before it connected");

    /// <summary>Ends the session (if it has not ended) and frees its resources.</summary>
    public void Dispose()
    {
        Close("disposed");
        _closing.Dispose();
    }

    /// <summary>Ends the session (idempotent).</summary>
    public void Close(string reason)
    {
        lock (_gate)
        {
            if (_state == (int)WebRtcSessionState.Closed)
            {
                return;
            }

            CloseReason = reason;
            Volatile.Write(ref _state, (int)WebRtcSessionState.Closed);
        }

        OnClosing();
        Closed?.Invoke(this, reason);
    }

    /// <summary>
    /// A binding request that named this session and passed MESSAGE-INTEGRITY, from
    /// <paramref name="from"/>: refreshes consent, learns the address (the first one, then the one
    /// USE-CANDIDATE nominates). Returns the address to register for DTLS/RTCP lookups, or null.
    /// </summary>
    internal SocketAddress? OnValidCheck(SocketAddress from, bool useCandidate)
    {
        Interlocked.Exchange(ref _lastConsent, _time.GetTimestamp());
        Interlocked.Increment(ref _checks);
        var current = Volatile.Read(ref _selected);
        if (current is not null && (!useCandidate || current.Equals(from)))
        {
            return null;
        }

        var copy = new SocketAddress(from.Family, from.Size);
        from.Buffer.Span.CopyTo(copy.Buffer.Span);
        Volatile.Write(ref _selected, copy);
        var first = current is null;
        if (first && Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Connecting, (int)WebRtcSessionState.New) == (int)WebRtcSessionState.New)
        {
            OnConnecting();
        }

        return copy;
    }

    /// <summary>A DTLS datagram from this session's address (first byte 20..63).</summary>
    internal void DeliverDtls(ReadOnlySpan<byte> datagram) => OnDtls(datagram);

    /// <summary>An SRTCP datagram from this session's address (first byte 128..191).</summary>
    internal void DeliverRtcp(ReadOnlySpan<byte> datagram) => OnRtcp(datagram);

    /// <summary>Marks the session playing (DTLS done, media attached).</summary>
    internal bool MarkPlaying() =>
        Interlocked.CompareExchange(ref _state, (int)WebRtcSessionState.Playing, (int)WebRtcSessionState.Connecting) == (int)WebRtcSessionState.Connecting;

    /// <summary>The address family, port and address bytes of <paramref name="address"/> (a Linux sockaddr), for XOR-MAPPED-ADDRESS.</summary>
    internal static AddressFamily Describe(SocketAddress address, out int port, out ReadOnlySpan<byte> bytes)
    {
        var raw = address.Buffer.Span;
        port = (raw[2] << 8) | raw[3];
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            bytes = raw.Slice(8, 16);

            // A dual-stack socket sees IPv4 peers as ::ffff:a.b.c.d; the peer knows itself as a.b.c.d.
            if (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xFF && bytes[11] == 0xFF)
            {
                bytes = bytes[12..];
                return AddressFamily.InterNetwork;
            }

            return AddressFamily.InterNetworkV6;
        }

        bytes = raw.Slice(4, 4);
        return AddressFamily.InterNetwork;
    }

    partial void OnConnecting();

    partial void OnDtls(ReadOnlySpan<byte> datagram);

    partial void OnRtcp(ReadOnlySpan<byte> datagram);

    partial void OnClosing();
}
