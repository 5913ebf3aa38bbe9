namespace CamStreamd.WebRtc.Dtls;

/// <summary>A DTLS-SRTP handshake that failed, with the reason in one word for counters and a message for the log.</summary>
public sealed class DtlsHandshakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DtlsHandshakeException(DtlsFailureReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    /// <summary>Creates an exception of reason <see cref="DtlsFailureReason.ProtocolError"/>.</summary>
    public DtlsHandshakeException()
        : this(DtlsFailureReason.ProtocolError, "DTLS handshake failed")
    {
    }

    /// <summary>Creates an exception of reason <see cref="DtlsFailureReason.ProtocolError"/>.</summary>
    public DtlsHandshakeException(string message)
        : this(DtlsFailureReason.ProtocolError, message)
    {
    }

    /// <summary>Creates an exception of reason <see cref="DtlsFailureReason.ProtocolError"/>.</summary>
    public DtlsHandshakeException(string message, Exception inner)
        : this(DtlsFailureReason.ProtocolError, message, inner)
    {
    }

    /// <summary>Why it failed.</summary>
    public DtlsFailureReason Reason { get; }
}
