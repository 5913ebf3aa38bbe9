using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Parses RTSP/1.0 requests (RFC 2326 §6) from a <see cref="ReadOnlySequence{T}"/> filled by a
/// PipeReader. Incomplete input and bad input are ordinary results, never exceptions. Each call
/// looks at the start of the buffer and, on success, slices the consumed bytes off it.
/// </summary>
/// <remarks>
/// Request format:
/// <code>
/// Method SP Request-URI SP RTSP-Version CRLF
/// *( header-name ":" LWS value CRLF )
/// CRLF
/// [ body of Content-Length bytes ]
/// </code>
/// A bare LF is accepted as a line end. A client may also send interleaved binary frames
/// (RFC 2326 §10.12, usually RTCP receiver reports) on the same connection: '$', a channel byte
/// and a 16-bit big-endian length, then that many bytes; those are reported and consumed.
/// </remarks>
public static class RtspParser
{
    /// <summary>Longest request line accepted, CRLF included.</summary>
    public const int MaxRequestLineLength = 4 * 1024;

    /// <summary>Most header lines in one request (folded continuation lines included).</summary>
    public const int MaxHeaderCount = 64;

    /// <summary>Largest header block (every header line and the blank line), in bytes.</summary>
    public const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Largest request body accepted.</summary>
    public const int MaxContentLength = 64 * 1024;

    /// <summary>The longest method token we recognize at all; longer first words are garbage.</summary>
    private const int MaxMethodLength = 32;

    /// <summary>
    /// Parses one request or interleaved frame at the start of <paramref name="buffer"/>.
    /// On <see cref="RtspParseResult.Complete"/> and <see cref="RtspParseResult.InterleavedFrame"/>
    /// the buffer is advanced past what was consumed; on <see cref="RtspParseResult.Incomplete"/>
    /// only blank lines before a request may be consumed; on <see cref="RtspParseResult.Error"/> the
    /// bad request is consumed when <see cref="RtspParseError.Resynchronized"/> is true.
    /// </summary>
    public static RtspParseResult TryParse(ref ReadOnlySequence<byte> buffer, out RtspRequest request, out RtspParseError error) =>
        TryParse(ref buffer, out request, out error, out _);

    /// <summary>
    /// As <see cref="TryParse(ref ReadOnlySequence{byte}, out RtspRequest, out RtspParseError)"/>, and on
    /// <see cref="RtspParseResult.InterleavedFrame"/> also gives the frame's channel and data (a slice of the
    /// input, valid until the caller advances its reader).
    /// </summary>
    public static RtspParseResult TryParse(ref ReadOnlySequence<byte> buffer, out RtspRequest request, out RtspParseError error, out InterleavedFrame frame)
    {
        request = null!;
        frame = default;
        error = RtspParseError.None;
        var reader = new SequenceReader<byte>(buffer);

        // Stray CRLFs between messages are tolerated (RFC 2616 §4.1, which RTSP follows).
        while (reader.TryPeek(out var lead) && (lead == (byte)'\r' || lead == (byte)'\n'))
        {
            reader.Advance(1);
        }

        buffer = buffer.Slice(reader.Position);
        if (reader.End)
        {
            return RtspParseResult.Incomplete;
        }

        reader.TryPeek(out var first);
        if (first == WireBytes.Dollar)
        {
            return TrySkipInterleaved(ref buffer, ref reader, out frame);
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> requestLine, (byte)'\n'))
        {
            if (reader.Remaining >= MaxRequestLineLength)
            {
                return Fail(out error, RtspParseErrorKind.RequestLineTooLong, resynced: false);
            }

            return StartsLikeRequestLine(reader.UnreadSequence)
                ? RtspParseResult.Incomplete
                : Fail(out error, RtspParseErrorKind.InvalidRequestLine, resynced: false);
        }

        if (requestLine.Length + 1 > MaxRequestLineLength)
        {
            return FailAndResync(ref buffer, ref reader, out error, RtspParseErrorKind.RequestLineTooLong);
        }

        var kind = ParseRequestLine(TrimCr(requestLine), out var method, out var uri, out var version);
        if (kind != RtspParseErrorKind.None)
        {
            return FailAndResync(ref buffer, ref reader, out error, kind);
        }

        var headers = new RtspHeaders();
        kind = ReadHeaderBlock(ref reader, headers, out var headersComplete, out var lineRead);
        if (kind != RtspParseErrorKind.None)
        {
            return lineRead
                ? FailAndResync(ref buffer, ref reader, out error, kind)
                : Fail(out error, kind, resynced: false);
        }

        if (!headersComplete)
        {
            return RtspParseResult.Incomplete;
        }

        kind = ReadContentLength(headers, out var contentLength);
        if (kind != RtspParseErrorKind.None)
        {
            return Fail(ref buffer, ref reader, out error, kind);
        }

        if (!TryReadBody(ref reader, contentLength, out var body))
        {
            return RtspParseResult.Incomplete;
        }

        buffer = buffer.Slice(reader.Position);
        request = new RtspRequest(method, uri, version, headers, body);
        return RtspParseResult.Complete;
    }

    private static RtspParseResult TrySkipInterleaved(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, out InterleavedFrame frame)
    {
        if (!TryReadInterleavedFrame(ref reader, out frame))
        {
            return RtspParseResult.Incomplete;
        }

        buffer = buffer.Slice(reader.Position);
        return RtspParseResult.InterleavedFrame;
    }

    /// <summary>
    /// Reads one interleaved frame (<c>$</c>, channel, 16-bit length, data; RFC 2326 §10.12) at the
    /// reader's position; false, with the reader unmoved, until all of it has arrived.
    /// </summary>
    internal static bool TryReadInterleavedFrame(ref SequenceReader<byte> reader, out InterleavedFrame frame)
    {
        frame = default;
        Span<byte> header = stackalloc byte[4];
        if (!reader.TryCopyTo(header))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (reader.Remaining < 4 + length)
        {
            return false;
        }

        frame = new InterleavedFrame(header[1], reader.UnreadSequence.Slice(4, length));
        reader.Advance(4 + length);
        return true;
    }

    /// <summary>
    /// Reads header lines up to the blank line that ends the block, within <see cref="MaxHeaderBytes"/>
    /// and <see cref="MaxHeaderCount"/>. Returns the error, or None with <paramref name="complete"/>
    /// false while more bytes are needed; <paramref name="lineRead"/> says whether the error was found
    /// in a whole line, so that the reader stands after it (where a caller can resynchronize).
    /// </summary>
    internal static RtspParseErrorKind ReadHeaderBlock(ref SequenceReader<byte> reader, RtspHeaders headers, out bool complete, out bool lineRead)
    {
        complete = false;
        lineRead = false;
        long headerBytes = 0;
        var headerLines = 0;
        while (true)
        {
            lineRead = reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n');
            if (!lineRead)
            {
                return headerBytes + reader.Remaining > MaxHeaderBytes ? RtspParseErrorKind.HeadersTooLarge : RtspParseErrorKind.None;
            }

            headerBytes += line.Length + 1;
            if (headerBytes > MaxHeaderBytes)
            {
                return RtspParseErrorKind.HeadersTooLarge;
            }

            line = TrimCr(line);
            if (line.IsEmpty)
            {
                complete = true;
                return RtspParseErrorKind.None;
            }

            // Folded continuation lines count too: each one rebuilds its header's value, so
            // unbounded folds would cost quadratic time and memory within the byte limit.
            var kind = ParseHeaderLine(line, headers);
            if (kind == RtspParseErrorKind.None && ++headerLines > MaxHeaderCount)
            {
                kind = RtspParseErrorKind.TooManyHeaders;
            }

            if (kind != RtspParseErrorKind.None)
            {
                return kind;
            }
        }
    }

    /// <summary>The message's <c>Content-Length</c> (0 when absent), at most <see cref="MaxContentLength"/>.</summary>
    internal static RtspParseErrorKind ReadContentLength(RtspHeaders headers, out int contentLength)
    {
        contentLength = 0;
        if (!headers.TryGetValue("Content-Length", out var lengthText))
        {
            return RtspParseErrorKind.None;
        }

        if (!long.TryParse(lengthText.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
        {
            return RtspParseErrorKind.InvalidContentLength;
        }

        if (declared > MaxContentLength)
        {
            return RtspParseErrorKind.ContentTooLarge;
        }

        contentLength = (int)declared;
        return RtspParseErrorKind.None;
    }

    /// <summary>Copies the <paramref name="contentLength"/>-byte body out; false, reader unmoved, until it has all arrived.</summary>
    internal static bool TryReadBody(ref SequenceReader<byte> reader, int contentLength, out ReadOnlyMemory<byte> body)
    {
        body = ReadOnlyMemory<byte>.Empty;
        if (reader.Remaining < contentLength)
        {
            return false;
        }

        if (contentLength > 0)
        {
            var bytes = new byte[contentLength];
            reader.TryCopyTo(bytes);
            reader.Advance(contentLength);
            body = bytes;
        }

        return true;
    }

    private static RtspParseResult Fail(out RtspParseError error, RtspParseErrorKind kind, bool resynced)
    {
        error = new RtspParseError(kind, resynced);
        return RtspParseResult.Error;
    }

    /// <summary>An error found after the whole header block was read: that block is consumed (its body, if any, is not trusted).</summary>
    private static RtspParseResult Fail(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, out RtspParseError error, RtspParseErrorKind kind)
    {
        buffer = buffer.Slice(reader.Position);
        return Fail(out error, kind, resynced: true);
    }

    /// <summary>Skips to the blank line ending the bad request's header block, if it has arrived.</summary>
    private static RtspParseResult FailAndResync(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, out RtspParseError error, RtspParseErrorKind kind)
    {
        while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (TrimCr(line).IsEmpty)
            {
                return Fail(ref buffer, ref reader, out error, kind);
            }
        }

        return Fail(out error, kind, resynced: false);
    }

    /// <summary>The line without its trailing CR (the LF was already cut).</summary>
    internal static ReadOnlySequence<byte> TrimCr(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty)
        {
            return line;
        }

        var last = line.Slice(line.Length - 1);
        return last.FirstSpan[0] == (byte)'\r' ? line.Slice(0, line.Length - 1) : line;
    }

    /// <summary>False when the bytes so far cannot begin "Method SP" (garbage is refused before 4 KB arrive).</summary>
    private static bool StartsLikeRequestLine(ReadOnlySequence<byte> partial)
    {
        var reader = new SequenceReader<byte>(partial);
        var length = 0;
        while (reader.TryRead(out var b))
        {
            if (b == (byte)' ')
            {
                return length > 0;
            }

            if (!WireBytes.IsTokenChar(b) || ++length > MaxMethodLength)
            {
                return false;
            }
        }

        return true;
    }

    private static RtspParseErrorKind ParseRequestLine(ReadOnlySequence<byte> line, out string method, out string uri, out string version)
    {
        method = uri = version = string.Empty;
        var text = System.Text.Encoding.UTF8.GetString(line);
        var firstSpace = text.IndexOf(' ', StringComparison.Ordinal);
        var lastSpace = text.LastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1 || lastSpace == text.Length - 1)
        {
            return RtspParseErrorKind.InvalidRequestLine;
        }

        method = text[..firstSpace];
        uri = text[(firstSpace + 1)..lastSpace];
        version = text[(lastSpace + 1)..];
        if (method.Length > MaxMethodLength || !WireBytes.IsToken(method) || uri.Contains(' ', StringComparison.Ordinal)
            || uri.Any(char.IsControl))
        {
            return RtspParseErrorKind.InvalidRequestLine;
        }

        if (!version.StartsWith("RTSP/", StringComparison.Ordinal))
        {
            return RtspParseErrorKind.InvalidRequestLine;
        }

        return version.StartsWith("RTSP/1.", StringComparison.Ordinal) && version.Length > 7
            ? RtspParseErrorKind.None
            : RtspParseErrorKind.UnsupportedVersion;
    }

    /// <summary>Adds one header line (or folded continuation) to <paramref name="headers"/>; shared with <see cref="RtspResponseParser"/>.</summary>
    internal static RtspParseErrorKind ParseHeaderLine(ReadOnlySequence<byte> line, RtspHeaders headers)
    {
        var text = System.Text.Encoding.UTF8.GetString(line);
        if (text[0] is ' ' or '\t')
        {
            // Obsolete line folding (RFC 2616 §2.2 LWS): the line continues the previous value.
            return headers.AppendToLast(text.Trim()) ? RtspParseErrorKind.None : RtspParseErrorKind.InvalidHeader;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !WireBytes.IsToken(text.AsSpan(0, colon)))
        {
            return RtspParseErrorKind.InvalidHeader;
        }

        headers.Add(text[..colon], text[(colon + 1)..].Trim());
        return RtspParseErrorKind.None;
    }
}
