namespace CamStreamd.Rtsp.Protocol;

/// <summary>A parse error and whether the parser could skip past the bad request.</summary>
/// <param name="Kind">What was wrong.</param>
/// <param name="Resynchronized">
/// True when the bad request's whole header block was consumed, so the next request can be
/// parsed; false when the stream position is lost and the connection should be closed.
/// </param>
public readonly record struct RtspParseError(RtspParseErrorKind Kind, bool Resynchronized)
{
    /// <summary>No error.</summary>
    public static RtspParseError None => default;
}
