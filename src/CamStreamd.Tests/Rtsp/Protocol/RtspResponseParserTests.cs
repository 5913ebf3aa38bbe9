using System.Buffers;
using TextEncoding = System.Text.Encoding;
using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class RtspResponseParserTests
{
    private const string Describe =
        "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Base: rtsp://127.0.0.1:8554/cam/\r\nContent-Type: application/sdp\r\nContent-Length: 12\r\n\r\nv=0\r\ns=cam\r\n";

    private static RtspResponseParseResult Parse(byte[] bytes, out RtspResponseMessage response, out RtspRequest request, out InterleavedFrame frame, out RtspParseErrorKind error, out long consumed)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var result = RtspResponseParser.TryParse(ref buffer, out response, out request, out frame, out error);
        consumed = bytes.Length - buffer.Length;
        return result;
    }

    [Fact]
    public void A_describe_reply_is_parsed_with_headers_and_body()
    {
        var bytes = TextEncoding.ASCII.GetBytes(Describe);
        Assert.Equal(RtspResponseParseResult.Response, Parse(bytes, out var response, out _, out _, out _, out var consumed));
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal((200, "OK", 3, "RTSP/1.0"), (response.StatusCode, response.Reason, response.CSeq!.Value, response.Version));
        Assert.Equal("rtsp://127.0.0.1:8554/cam/", response.Headers["content-base"]);
        Assert.Equal("v=0\r\ns=cam\r\n", TextEncoding.ASCII.GetString(response.Body.Span));
        Assert.True(response.IsSuccess);
    }

    [Fact]
    public void Every_truncation_prefix_is_incomplete_and_consumes_nothing()
    {
        var bytes = TextEncoding.ASCII.GetBytes(Describe);
        for (var length = 0; length < bytes.Length; length++)
        {
            var result = Parse(bytes[..length], out _, out _, out _, out _, out var consumed);
            Assert.True(result == RtspResponseParseResult.Incomplete, $"prefix of {length} bytes: {result}");
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void Every_split_into_two_segments_parses_the_same()
    {
        var bytes = TextEncoding.ASCII.GetBytes(Describe + "$\u0001\u0000\u0002ab");
        for (var split = 1; split < bytes.Length; split++)
        {
            var buffer = Segments.Split(bytes, split);
            Assert.Equal(RtspResponseParseResult.Response, RtspResponseParser.TryParse(ref buffer, out var response, out _, out _, out _));
            Assert.Equal(12, response.Body.Length);
            Assert.Equal(RtspResponseParseResult.InterleavedFrame, RtspResponseParser.TryParse(ref buffer, out _, out _, out var frame, out _));
            Assert.Equal((1, "ab"), (frame.Channel, TextEncoding.ASCII.GetString(frame.Payload.ToArray())));
            Assert.Equal(0, buffer.Length);
        }
    }

    [Fact]
    public void A_401_keeps_every_challenge()
    {
        var bytes = TextEncoding.ASCII.GetBytes("RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Basic realm=\"cam\"\r\nWWW-Authenticate: Digest realm=\"cam\", nonce=\"abc\"\r\n\r\n");
        Assert.Equal(RtspResponseParseResult.Response, Parse(bytes, out var response, out _, out _, out _, out _));
        Assert.Equal(401, response.StatusCode);
        var challenge = AuthChallenge.Choose(response.Headers.Where(h => h.Key == "WWW-Authenticate").Select(h => h.Value));
        Assert.NotNull(challenge);
        Assert.True(challenge.IsDigest);
        Assert.Equal(("cam", "abc"), (challenge.Realm, challenge.Nonce));
    }

    [Fact]
    public void A_request_from_the_server_is_reported_as_a_request()
    {
        var bytes = TextEncoding.ASCII.GetBytes("GET_PARAMETER rtsp://client/ RTSP/1.0\r\nCSeq: 9\r\n\r\n");
        Assert.Equal(RtspResponseParseResult.Request, Parse(bytes, out _, out var request, out _, out _, out var consumed));
        Assert.Equal(("GET_PARAMETER", 9), (request.Method, request.CSeq!.Value));
        Assert.Equal(bytes.Length, consumed);
    }

    [Theory]
    [InlineData("RTSP/1.0 20 OK\r\n\r\n", RtspParseErrorKind.InvalidStatusLine)]
    [InlineData("RTSP/1.0 abc OK\r\n\r\n", RtspParseErrorKind.InvalidStatusLine)]
    [InlineData("RTSP/1.0\r\n\r\n", RtspParseErrorKind.InvalidStatusLine)]
    [InlineData("RTSP/2.0 200 OK\r\n\r\n", RtspParseErrorKind.UnsupportedVersion)]
    [InlineData("RTSP/1.0 200 OK\r\nno colon here\r\n\r\n", RtspParseErrorKind.InvalidHeader)]
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", RtspParseErrorKind.InvalidContentLength)]
    [InlineData("RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n", RtspParseErrorKind.ContentTooLarge)]
    public void Malformed_responses_are_errors(string text, RtspParseErrorKind expected)
    {
        Assert.Equal(RtspResponseParseResult.Error, Parse(TextEncoding.ASCII.GetBytes(text), out _, out _, out _, out var error, out _));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void An_endless_status_line_is_refused_at_the_limit()
    {
        var bytes = TextEncoding.ASCII.GetBytes("RTSP/1.0 200 " + new string('x', RtspParser.MaxRequestLineLength));
        Assert.Equal(RtspResponseParseResult.Error, Parse(bytes, out _, out _, out _, out var error, out _));
        Assert.Equal(RtspParseErrorKind.RequestLineTooLong, error);
    }
}
