namespace CamStreamd.Rtsp.Protocol;

/// <summary>One parsed RTSP request (RFC 2326 §6): request line, headers and body.</summary>
public sealed class RtspRequest
{
    /// <summary>Creates a request.</summary>
    public RtspRequest(string method, string uri, string version, RtspHeaders headers, ReadOnlyMemory<byte> body)
    {
        Method = method;
        Uri = uri;
        Version = version;
        Headers = headers;
        Body = body;
    }

    /// <summary>The method token as sent (methods are case-sensitive, RFC 2326 §6.1).</summary>
    public string Method { get; }

    /// <summary>The Request-URI as sent (absolute rtsp:// URL, a path, or "*").</summary>
    public string Uri { get; }

    /// <summary>The protocol version, e.g. "RTSP/1.0".</summary>
    public string Version { get; }

    /// <summary>The headers.</summary>
    public RtspHeaders Headers { get; }

    /// <summary>The message body (Content-Length bytes), often empty.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The CSeq header as a number, or null when missing or not a number (→ 400, RFC 2326 §12.17).</summary>
    public int? CSeq =>
        Headers.TryGetValue("CSeq", out var value)
        && int.TryParse(value.AsSpan().Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var cseq)
            ? cseq
            : null;

    /// <summary>The session id from the Session header (without ";timeout="), or null.</summary>
    public string? SessionId => Headers.TryGetValue("Session", out var value) && SessionHeader.TryParse(value, out var session) ? session.Id : null;
}
