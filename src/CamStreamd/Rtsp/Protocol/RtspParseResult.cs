namespace CamStreamd.Rtsp.Protocol;

/// <summary>What <see cref="RtspParser.TryParse"/> found at the start of the buffer.</summary>
public enum RtspParseResult
{
    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>A whole request was parsed and consumed.</summary>
    Complete,

    /// <summary>A whole interleaved binary frame ('$', channel, length; RFC 2326 §10.12) was consumed; skip it.</summary>
    InterleavedFrame,

    /// <summary>The input is not a valid request; see the <see cref="RtspParseError"/>.</summary>
    Error,
}
