namespace CamStreamd.Rtsp.Protocol;

/// <summary>A response being built (reusable: <see cref="Reset"/> keeps its header list).</summary>
public sealed class RtspResponse
{
    /// <summary>The status code (RFC 2326 §7.1.1).</summary>
    public int StatusCode { get; set; } = RtspStatus.Ok;

    /// <summary>The CSeq to echo, or null when the request had none.</summary>
    public int? CSeq { get; set; }

    /// <summary>Headers beyond CSeq, Server, Date and Content-Length, which the writer adds.</summary>
    public RtspHeaders Headers { get; } = new();

    /// <summary>The body (for DESCRIBE, the SDP).</summary>
    public ReadOnlyMemory<byte> Body { get; set; }

    /// <summary>Clears the response for the next request.</summary>
    public RtspResponse Reset(int statusCode, int? cseq)
    {
        StatusCode = statusCode;
        CSeq = cseq;
        Headers.Clear();
        Body = ReadOnlyMemory<byte>.Empty;
        return this;
    }
}
