namespace CamStreamd.WebRtc.Dtls;

/// <summary>Why a DTLS-SRTP handshake did not complete (logged and counted by the caller).</summary>
public enum DtlsFailureReason
{
    /// <summary>No failure.</summary>
    None,

    /// <summary>The handshake did not finish within its timeout.</summary>
    Timeout,

    /// <summary>The caller cancelled (session deleted, daemon stopping).</summary>
    Cancelled,

    /// <summary>The client sent no certificate (RFC 8827 requires one).</summary>
    NoClientCertificate,

    /// <summary>The client's certificate does not match the a=fingerprint of its offer.</summary>
    FingerprintMismatch,

    /// <summary>The client offered no use_srtp extension with SRTP_AEAD_AES_128_GCM or SRTP_AES128_CM_HMAC_SHA1_80.</summary>
    NoSrtpProfile,

    /// <summary>The client sent a fatal alert during the handshake.</summary>
    AlertReceived,

    /// <summary>Any other protocol error (bad record, unsupported version or cipher suites, internal error).</summary>
    ProtocolError,
}
