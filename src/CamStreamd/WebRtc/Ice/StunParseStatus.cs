namespace CamStreamd.WebRtc.Ice;

/// <summary>What <see cref="StunReader.TryRead"/> found in a datagram.</summary>
internal enum StunParseStatus
{
    /// <summary>A well-formed STUN message (integrity is checked separately, with the session's key).</summary>
    Ok,

    /// <summary>Not STUN: top bits set, wrong magic cookie, or shorter than a header.</summary>
    NotStun,

    /// <summary>The header's length is not a multiple of 4 or disagrees with the datagram's.</summary>
    BadLength,

    /// <summary>An attribute runs past the end, or a known attribute has the wrong size.</summary>
    BadAttribute,

    /// <summary>FINGERPRINT is not last, or its CRC does not match.</summary>
    BadFingerprint,
}
