namespace CamStreamd.WebRtc.Dtls;

/// <summary>Why an established DTLS association ended.</summary>
public enum DtlsCloseReason
{
    /// <summary>The client sent close_notify (a tab closed politely, pc.close()).</summary>
    CloseNotify,

    /// <summary>The client sent a fatal alert, or a record failed so that the association is unusable.</summary>
    FatalAlert,

    /// <summary>We closed it (<see cref="DtlsSrtpHandshake.Close"/>).</summary>
    Local,
}
