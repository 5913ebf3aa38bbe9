namespace CamStreamd.WebRtc.Ice;

/// <summary>STUN wire numbers (RFC 8489 §5, §14, §18; RFC 8445 §16.1 for the ICE attributes).</summary>
internal static class StunConstants
{
    /// <summary>Every STUN message starts with a 20-byte header: type, length, magic cookie, 96-bit transaction id.</summary>
    public const int HeaderLength = 20;

    /// <summary>The magic cookie at bytes 4..7 (RFC 8489 §5).</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>Binding request (method 0x001, class request).</summary>
    public const ushort BindingRequest = 0x0001;

    /// <summary>Binding success response.</summary>
    public const ushort BindingSuccess = 0x0101;

    /// <summary>Binding error response.</summary>
    public const ushort BindingError = 0x0111;

    /// <summary>Binding indication (a keepalive; answered with nothing).</summary>
    public const ushort BindingIndication = 0x0011;

    /// <summary>USERNAME: "ourUfrag:theirUfrag" in an ICE check.</summary>
    public const ushort Username = 0x0006;

    /// <summary>MESSAGE-INTEGRITY: HMAC-SHA1, 20 bytes.</summary>
    public const ushort MessageIntegrity = 0x0008;

    /// <summary>ERROR-CODE.</summary>
    public const ushort ErrorCode = 0x0009;

    /// <summary>XOR-MAPPED-ADDRESS.</summary>
    public const ushort XorMappedAddress = 0x0020;

    /// <summary>PRIORITY (RFC 8445).</summary>
    public const ushort Priority = 0x0024;

    /// <summary>USE-CANDIDATE (RFC 8445): the controlling agent nominates this pair.</summary>
    public const ushort UseCandidate = 0x0025;

    /// <summary>FINGERPRINT: CRC-32 of the message up to it, XORed with <see cref="FingerprintXor"/>.</summary>
    public const ushort Fingerprint = 0x8028;

    /// <summary>ICE-CONTROLLED.</summary>
    public const ushort IceControlled = 0x8029;

    /// <summary>ICE-CONTROLLING.</summary>
    public const ushort IceControlling = 0x802A;

    /// <summary>RFC 8489 §14.7: the CRC-32 is XORed with "STUN".</summary>
    public const uint FingerprintXor = 0x5354554E;

    /// <summary>Length of an HMAC-SHA1 MESSAGE-INTEGRITY value.</summary>
    public const int IntegrityLength = 20;

    /// <summary>Longest USERNAME accepted (RFC 8489 §14.3: fewer than 509 bytes).</summary>
    public const int MaxUsernameLength = 508;
}
