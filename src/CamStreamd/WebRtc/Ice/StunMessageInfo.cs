namespace CamStreamd.WebRtc.Ice;

/// <summary>
/// Where the parts of one STUN message are in its datagram (offsets, so reading one allocates
/// nothing): the fields an ICE-lite agent needs from a binding request, and the mapped address of
/// a response (for tests and the load client).
/// </summary>
internal struct StunMessageInfo
{
    /// <summary>Message type (class and method), e.g. <see cref="StunConstants.BindingRequest"/>.</summary>
    public ushort Type;

    /// <summary>Offset of the USERNAME value, or -1.</summary>
    public int UsernameOffset;

    /// <summary>Length of the USERNAME value.</summary>
    public int UsernameLength;

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute's header (its value is 4 bytes later), or -1.</summary>
    public int IntegrityOffset;

    /// <summary>Offset of the FINGERPRINT attribute's header, or -1.</summary>
    public int FingerprintOffset;

    /// <summary>Offset of the XOR-MAPPED-ADDRESS value, or -1.</summary>
    public int XorMappedOffset;

    /// <summary>Length of the XOR-MAPPED-ADDRESS value (8 for IPv4, 20 for IPv6).</summary>
    public int XorMappedLength;

    /// <summary>USE-CANDIDATE was present (the controlling agent nominates the pair).</summary>
    public bool UseCandidate;

    /// <summary>ICE-CONTROLLING was present.</summary>
    public bool Controlling;

    /// <summary>PRIORITY's value, 0 when absent.</summary>
    public uint Priority;

    /// <summary>ERROR-CODE's code (class * 100 + number), 0 when absent.</summary>
    public int ErrorCode;
}
