namespace CamStreamd.Rtsp.Protocol;

/// <summary>Why a request could not be parsed.</summary>
public enum RtspParseErrorKind
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The request line exceeds <see cref="RtspParser.MaxRequestLineLength"/>.</summary>
    RequestLineTooLong,

    /// <summary>The request line is not "Method SP Request-URI SP RTSP-Version".</summary>
    InvalidRequestLine,

    /// <summary>The version is not RTSP/1.x.</summary>
    UnsupportedVersion,

    /// <summary>More than <see cref="RtspParser.MaxHeaderCount"/> header lines (continuation lines included).</summary>
    TooManyHeaders,

    /// <summary>The header block exceeds <see cref="RtspParser.MaxHeaderBytes"/>.</summary>
    HeadersTooLarge,

    /// <summary>A header line without a colon or with an invalid name.</summary>
    InvalidHeader,

    /// <summary>Content-Length is not a non-negative decimal number.</summary>
    InvalidContentLength,

    /// <summary>Content-Length exceeds <see cref="RtspParser.MaxContentLength"/>.</summary>
    ContentTooLarge,

    /// <summary>A response's status line is not "RTSP-Version SP Status-Code SP Reason-Phrase" (client side).</summary>
    InvalidStatusLine,
}
