namespace CamStreamd.WebRtc.Plane;

/// <summary>What the WebRTC UDP port received and what it dropped, by reason (API and metrics).</summary>
public sealed class WebRtcPortCounters
{
    private long _datagrams;
    private long _stunAnswered;
    private long _stunMalformed;
    private long _stunUnauthenticated;
    private long _stunUnknownUfrag;
    private long _stunBadIntegrity;
    private long _unknownSource;
    private long _unknownKind;

    /// <summary>Datagrams received.</summary>
    public long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>Binding requests answered.</summary>
    public long StunAnswered => Interlocked.Read(ref _stunAnswered);

    /// <summary>STUN-looking datagrams that did not parse (length, attributes, FINGERPRINT).</summary>
    public long StunMalformed => Interlocked.Read(ref _stunMalformed);

    /// <summary>Binding requests without USERNAME or MESSAGE-INTEGRITY, or not binding requests.</summary>
    public long StunUnauthenticated => Interlocked.Read(ref _stunUnauthenticated);

    /// <summary>Binding requests whose USERNAME names no session.</summary>
    public long StunUnknownUfrag => Interlocked.Read(ref _stunUnknownUfrag);

    /// <summary>Binding requests whose MESSAGE-INTEGRITY does not match the session's password.</summary>
    public long StunBadIntegrity => Interlocked.Read(ref _stunBadIntegrity);

    /// <summary>DTLS or RTCP datagrams from an address no session's ICE check came from.</summary>
    public long UnknownSource => Interlocked.Read(ref _unknownSource);

    /// <summary>Datagrams whose first byte is none of STUN, DTLS, RTP/RTCP (RFC 7983).</summary>
    public long UnknownKind => Interlocked.Read(ref _unknownKind);

    /// <summary>Every dropped datagram, whatever the reason.</summary>
    public long Dropped => StunMalformed + StunUnauthenticated + StunUnknownUfrag + StunBadIntegrity + UnknownSource + UnknownKind;

    internal void AddDatagram() => Interlocked.Increment(ref _datagrams);

    internal void AddStunAnswered() => Interlocked.Increment(ref _stunAnswered);

    internal void AddStunMalformed() => Interlocked.Increment(ref _stunMalformed);

    internal void AddStunUnauthenticated() => Interlocked.Increment(ref _stunUnauthenticated);

    internal void AddStunUnknownUfrag() => Interlocked.Increment(ref _stunUnknownUfrag);

    internal void AddStunBadIntegrity() => Interlocked.Increment(ref _stunBadIntegrity);

    internal void AddUnknownSource() => Interlocked.Increment(ref _unknownSource);

    internal void AddUnknownKind() => Interlocked.Increment(ref _unknownKind);
}
