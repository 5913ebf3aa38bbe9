using System.Buffers;
using System.Globalization;
using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Serializes responses (RFC 2326 §7): status line, CSeq, Server, Date, the other headers,
/// Content-Length when there is a body, a blank line and the body.
/// </summary>
public static class RtspResponseWriter
{
    /// <summary>Writes <paramref name="response"/> into <paramref name="output"/>.</summary>
    /// <param name="output">Where the bytes go (a reused buffer writer).</param>
    /// <param name="response">The response.</param>
    /// <param name="serverName">The Server header value.</param>
    /// <param name="now">The Date header value's time.</param>
    public static void Write(IBufferWriter<byte> output, RtspResponse response, string serverName, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(response);
        WriteAscii(output, string.Create(CultureInfo.InvariantCulture,
            $"RTSP/1.0 {response.StatusCode} {RtspStatus.ReasonPhrase(response.StatusCode)}\r\n"));
        if (response.CSeq is { } cseq)
        {
            WriteHeader(output, "CSeq", cseq.ToString(CultureInfo.InvariantCulture));
        }

        WriteHeader(output, "Server", serverName);

        // RFC 1123 date, as HTTP/1.1 §3.3.1 prefers (RFC 2326 §12.18).
        WriteHeader(output, "Date", now.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture));
        foreach (var header in response.Headers)
        {
            WriteHeader(output, header.Key, header.Value);
        }

        if (!response.Body.IsEmpty)
        {
            WriteHeader(output, "Content-Length", response.Body.Length.ToString(CultureInfo.InvariantCulture));
        }

        WriteAscii(output, "\r\n");
        if (!response.Body.IsEmpty)
        {
            output.Write(response.Body.Span);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, string name, string value)
    {
        WriteAscii(output, name);
        WriteAscii(output, ": ");
        WriteAscii(output, value);
        WriteAscii(output, "\r\n");
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text) => System.Text.Encoding.UTF8.GetBytes(text, output);
}
