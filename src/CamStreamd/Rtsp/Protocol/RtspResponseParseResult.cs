namespace CamStreamd.Rtsp.Protocol;

/// <summary>What <see cref="RtspResponseParser.TryParse"/> found at the start of the buffer.</summary>
public enum RtspResponseParseResult
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole response was parsed and consumed.</summary>
    Response,

    /// <summary>A whole interleaved binary frame (RTP or RTCP on a TCP session) was consumed.</summary>
    InterleavedFrame,

    /// <summary>A request from the server (RFC 2326 §10, e.g. a keepalive GET_PARAMETER) was consumed.</summary>
    Request,

    /// <summary>The input is malformed; the stream position is lost.</summary>
    Error,
}
