using System.Buffers;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

/// <summary>The parser's limits at their edges, and bugs the fuzzer found (Rtsp/Fuzz).</summary>
public class RtspParserLimitTests
{
    [Fact]
    public void Folded_continuation_lines_count_against_the_header_limit()
    {
        // Each fold rebuilt the whole value: 3000 folds inside the 16 KB block allocated ~40 MB per parse.
        var lines = string.Concat(Enumerable.Repeat("\r\n v", RtspParser.MaxHeaderCount));
        var tooMany = Parse("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Folded: v" + lines + "\r\n\r\n", out _, out var error);
        Assert.Equal(RtspParseResult.Error, tooMany);
        Assert.Equal(RtspParseErrorKind.TooManyHeaders, error.Kind);
        Assert.True(error.Resynchronized);

        var atLimit = string.Concat(Enumerable.Repeat("\r\n v", RtspParser.MaxHeaderCount - 2));
        Assert.Equal(RtspParseResult.Complete, Parse("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX-Folded: v" + atLimit + "\r\n\r\n", out var request, out _));
        Assert.Equal(string.Join(' ', Enumerable.Repeat("v", RtspParser.MaxHeaderCount - 1)), request.Headers["X-Folded"]);
    }

    [Theory]
    [InlineData("X-Empty:\r\n \r\n", "X-Empty", "")]
    [InlineData("Session:\r\n 0123456789ABCDEF\r\n", "Session", "0123456789ABCDEF")]
    [InlineData("X-Two: a\r\n\t b \r\n", "X-Two", "a b")]
    public void A_folded_value_has_no_stray_space(string header, string name, string value)
    {
        Assert.Equal(RtspParseResult.Complete, Parse("GET_PARAMETER * RTSP/1.0\r\nCSeq: 2\r\n" + header + "\r\n", out var request, out _));
        Assert.Equal(value, request.Headers[name]);
    }

    [Theory]
    [InlineData("Content-Length: 99999999999999999999999", RtspParseErrorKind.InvalidContentLength)]
    [InlineData("Content-Length: 9223372036854775807", RtspParseErrorKind.ContentTooLarge)]
    [InlineData("Content-Length: 65537", RtspParseErrorKind.ContentTooLarge)]
    [InlineData("Content-Length: +5", RtspParseErrorKind.InvalidContentLength)]
    public void Huge_or_odd_content_lengths_are_refused_without_waiting_for_a_body(string header, RtspParseErrorKind kind)
    {
        Assert.Equal(RtspParseResult.Error, Parse($"SET_PARAMETER * RTSP/1.0\r\nCSeq: 3\r\n{header}\r\n\r\n", out _, out var error));
        Assert.Equal(kind, error.Kind);
    }

    [Fact]
    public void A_body_at_the_limit_is_read_whole()
    {
        var body = new string('b', RtspParser.MaxContentLength);
        Assert.Equal(RtspParseResult.Complete, Parse($"SET_PARAMETER * RTSP/1.0\r\nCSeq: 4\r\nContent-Length: {body.Length}\r\n\r\n{body}", out var request, out _));
        Assert.Equal(RtspParser.MaxContentLength, request.Body.Length);
    }

    private static RtspParseResult Parse(string text, out RtspRequest request, out RtspParseError error)
    {
        var buffer = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(text));
        return RtspParser.TryParse(ref buffer, out request, out error);
    }
}
