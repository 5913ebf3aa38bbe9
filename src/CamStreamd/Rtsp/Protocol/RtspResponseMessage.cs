using System.Globalization;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>One parsed RTSP response (RFC 2326 §7), as the pull client reads it from an upstream server.</summary>
public sealed class RtspResponseMessage
{
    /// <summary>Creates a response.</summary>
    public RtspResponseMessage(string version, int statusCode, string reason, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        Version = version;
        StatusCode = statusCode;
        Reason = reason;
        Headers = headers;
        Body = body;
    }

    /// <summary>The protocol version, e.g. "RTSP/1.0".</summary>
    public string Version { get; }

    /// <summary>The three-digit status code.</summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase (may be empty).</summary>
    public string Reason { get; }

    /// <summary>The headers.</summary>
    public RtspHeaders Headers { get; }

    /// <summary>The body (the SDP of a DESCRIBE), often empty.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The CSeq header as a number, or null when missing or not a number.</summary>
    public int? CSeq =>
        Headers.TryGetValue("CSeq", out var value)
        && int.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var cseq)
            ? cseq
            : null;

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>"401 Unauthorized" and the like, for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{StatusCode} {Reason}");
}
