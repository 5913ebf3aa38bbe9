namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>How an interop row's daemon authenticates clients, and which password the peer offers.</summary>
public enum InteropAuth
{
    /// <summary><c>rtsp.auth.mode</c> none.</summary>
    None,

    /// <summary>Basic (RFC 7617), the peer knows the password: plays.</summary>
    Basic,

    /// <summary>Basic, the peer offers a wrong password: refused with 401.</summary>
    BasicWrongPassword,

    /// <summary>Digest (RFC 2617/7616, MD5), the peer knows the password: plays.</summary>
    Digest,

    /// <summary>Digest, the peer offers a wrong password: refused with 401.</summary>
    DigestWrongPassword,
}
