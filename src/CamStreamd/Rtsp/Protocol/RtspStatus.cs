namespace CamStreamd.Rtsp.Protocol;

/// <summary>The RTSP status codes the server uses (RFC 2326 §7.1.1) and their reason phrases.</summary>
public static class RtspStatus
{
    /// <summary>200 OK.</summary>
    public const int Ok = 200;

    /// <summary>400 Bad Request.</summary>
    public const int BadRequest = 400;

    /// <summary>401 Unauthorized (RFC 2326 §11.2.1 via HTTP: answer with WWW-Authenticate).</summary>
    public const int Unauthorized = 401;

    /// <summary>404 Not Found.</summary>
    public const int NotFound = 404;

    /// <summary>405 Method Not Allowed.</summary>
    public const int MethodNotAllowed = 405;

    /// <summary>454 Session Not Found.</summary>
    public const int SessionNotFound = 454;

    /// <summary>455 Method Not Valid in This State.</summary>
    public const int MethodNotValidInThisState = 455;

    /// <summary>459 Aggregate Operation Not Allowed.</summary>
    public const int AggregateOperationNotAllowed = 459;

    /// <summary>461 Unsupported Transport.</summary>
    public const int UnsupportedTransport = 461;

    /// <summary>500 Internal Server Error.</summary>
    public const int InternalServerError = 500;

    /// <summary>501 Not Implemented.</summary>
    public const int NotImplemented = 501;

    /// <summary>503 Service Unavailable.</summary>
    public const int ServiceUnavailable = 503;

    /// <summary>505 RTSP Version Not Supported.</summary>
    public const int VersionNotSupported = 505;

    /// <summary>551 Option not supported.</summary>
    public const int OptionNotSupported = 551;

    /// <summary>The reason phrase of <paramref name="code"/> (RFC 2326 §7.1.1).</summary>
    public static string ReasonPhrase(int code) => code switch
    {
        Ok => "OK",
        BadRequest => "Bad Request",
        Unauthorized => "Unauthorized",
        NotFound => "Not Found",
        MethodNotAllowed => "Method Not Allowed",
        SessionNotFound => "Session Not Found",
        MethodNotValidInThisState => "Method Not Valid in This State",
        AggregateOperationNotAllowed => "Aggregate Operation Not Allowed",
        UnsupportedTransport => "Unsupported transport",
        InternalServerError => "Internal Server Error",
        NotImplemented => "Not Implemented",
        ServiceUnavailable => "Service Unavailable",
        VersionNotSupported => "RTSP Version not supported",
        OptionNotSupported => "Option not supported",
        _ => "Unknown",
    };
}
