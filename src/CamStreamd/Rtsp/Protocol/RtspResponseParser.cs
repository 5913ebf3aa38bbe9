using System.Buffers;
using System.Globalization;
using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Parses RTSP/1.0 responses (RFC 2326 §7) and interleaved binary frames (§10.12) that an
/// upstream server sends to our pull client, from a <see cref="ReadOnlySequence{T}"/> filled by a
/// PipeReader. The counterpart of <see cref="RtspParser"/>, sharing its header-line rules and
/// limits; incomplete and bad input are ordinary results, never exceptions.
/// </summary>
/// <remarks>
/// <code>
/// RTSP-Version SP Status-Code SP Reason-Phrase CRLF
/// *( header-name ":" LWS value CRLF )
/// CRLF
/// [ body of Content-Length bytes ]
/// </code>
/// A server may also send requests to the client (RFC 2326 §10: ANNOUNCE, GET_PARAMETER,
/// SET_PARAMETER, REDIRECT); this parser reports those as <see cref="RtspResponseParseResult.Request"/>
/// through <see cref="RtspParser"/>, so the client can answer or ignore them.
/// </remarks>
public static class RtspResponseParser
{
    /// <summary>Largest response body accepted (an SDP is a few hundred bytes; some cameras send several KB).</summary>
    public const int MaxContentLength = RtspParser.MaxContentLength;

    /// <summary>
    /// Parses one response, interleaved frame or server request at the start of <paramref name="buffer"/>.
    /// On success the buffer is advanced past what was consumed; on <see cref="RtspResponseParseResult.Incomplete"/>
    /// nothing but leading blank lines is consumed; on <see cref="RtspResponseParseResult.Error"/> the position is
    /// lost and the connection should be closed.
    /// </summary>
    public static RtspResponseParseResult TryParse(
        ref ReadOnlySequence<byte> buffer,
        out RtspResponseMessage response,
        out RtspRequest request,
        out InterleavedFrame frame,
        out RtspParseErrorKind error)
    {
        response = null!;
        request = null!;
        frame = default;
        error = RtspParseErrorKind.None;
        var reader = new SequenceReader<byte>(buffer);
        while (reader.TryPeek(out var lead) && (lead == (byte)'\r' || lead == (byte)'\n'))
        {
            reader.Advance(1);
        }

        buffer = buffer.Slice(reader.Position);
        if (reader.End)
        {
            return RtspResponseParseResult.Incomplete;
        }

        reader.TryPeek(out var first);
        if (first == WireBytes.Dollar)
        {
            return TryReadInterleaved(ref buffer, ref reader, out frame);
        }

        if (!StartsWithVersion(reader.UnreadSequence, out var decided))
        {
            if (!decided)
            {
                return RtspResponseParseResult.Incomplete;
            }

            // Not "RTSP/": a request from the server (§10), parsed by the request parser.
            var result = RtspParser.TryParse(ref buffer, out request, out var requestError);
            error = requestError.Kind;
            return result switch
            {
                RtspParseResult.Complete => RtspResponseParseResult.Request,
                RtspParseResult.Incomplete => RtspResponseParseResult.Incomplete,
                _ => RtspResponseParseResult.Error,
            };
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> statusLine, (byte)'\n'))
        {
            return reader.Remaining >= RtspParser.MaxRequestLineLength
                ? Fail(out error, RtspParseErrorKind.RequestLineTooLong)
                : RtspResponseParseResult.Incomplete;
        }

        if (statusLine.Length + 1 > RtspParser.MaxRequestLineLength)
        {
            return Fail(out error, RtspParseErrorKind.RequestLineTooLong);
        }

        var kind = ParseStatusLine(RtspParser.TrimCr(statusLine), out var version, out var status, out var reason);
        if (kind != RtspParseErrorKind.None)
        {
            return Fail(out error, kind);
        }

        var headers = new RtspHeaders();
        kind = RtspParser.ReadHeaderBlock(ref reader, headers, out var headersComplete, out _);
        if (kind != RtspParseErrorKind.None)
        {
            return Fail(out error, kind);
        }

        if (!headersComplete)
        {
            return RtspResponseParseResult.Incomplete;
        }

        kind = RtspParser.ReadContentLength(headers, out var contentLength);
        if (kind != RtspParseErrorKind.None)
        {
            return Fail(out error, kind);
        }

        if (!RtspParser.TryReadBody(ref reader, contentLength, out var body))
        {
            return RtspResponseParseResult.Incomplete;
        }

        buffer = buffer.Slice(reader.Position);
        response = new RtspResponseMessage(version, status, reason, headers, body);
        return RtspResponseParseResult.Response;
    }

    private static RtspResponseParseResult TryReadInterleaved(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, out InterleavedFrame frame)
    {
        if (!RtspParser.TryReadInterleavedFrame(ref reader, out frame))
        {
            return RtspResponseParseResult.Incomplete;
        }

        buffer = buffer.Slice(reader.Position);
        return RtspResponseParseResult.InterleavedFrame;
    }

    private static RtspResponseParseResult Fail(out RtspParseErrorKind error, RtspParseErrorKind kind)
    {
        error = kind;
        return RtspResponseParseResult.Error;
    }

    /// <summary>True when the bytes begin "RTSP/"; <paramref name="decided"/> is false while fewer than 5 bytes have come and they match so far.</summary>
    private static bool StartsWithVersion(ReadOnlySequence<byte> data, out bool decided)
    {
        ReadOnlySpan<byte> prefix = "RTSP/"u8;
        Span<byte> head = stackalloc byte[5];
        var available = (int)Math.Min(data.Length, head.Length);
        data.Slice(0, available).CopyTo(head);
        decided = available == head.Length || !prefix[..available].SequenceEqual(head[..available]);
        return available == head.Length && head.SequenceEqual(prefix);
    }

    private static RtspParseErrorKind ParseStatusLine(ReadOnlySequence<byte> line, out string version, out int status, out string reason)
    {
        version = reason = string.Empty;
        status = 0;
        var text = System.Text.Encoding.UTF8.GetString(line);
        var firstSpace = text.IndexOf(' ', StringComparison.Ordinal);
        if (firstSpace <= 0)
        {
            return RtspParseErrorKind.InvalidStatusLine;
        }

        version = text[..firstSpace];
        var rest = text[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf(' ', StringComparison.Ordinal);
        var code = secondSpace < 0 ? rest : rest[..secondSpace];
        reason = secondSpace < 0 ? string.Empty : rest[(secondSpace + 1)..].Trim();
        if (code.Length != 3 || !int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out status) || status < 100
            || reason.Any(char.IsControl))
        {
            return RtspParseErrorKind.InvalidStatusLine;
        }

        return version.StartsWith("RTSP/1.", StringComparison.Ordinal) && version.Length > 7
            ? RtspParseErrorKind.None
            : RtspParseErrorKind.UnsupportedVersion;
    }
}
