using System.Buffers;
using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class RtspParserTests
{
    [Theory]
    [MemberData(nameof(RtspParserCases.ValidNames), MemberType = typeof(RtspParserCases))]
    public void Parses_valid_request(string name)
    {
        var c = RtspParserCases.Valid.Single(v => v.Name == name);
        var buffer = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(c.Raw));
        Assert.Equal(RtspParseResult.Complete, RtspParser.TryParse(ref buffer, out var request, out var error));
        Assert.Equal(RtspParseErrorKind.None, error.Kind);
        Assert.True(buffer.IsEmpty);
        Assert.Equal(c.Method, request.Method);
        Assert.Equal(c.Uri, request.Uri);
        Assert.Equal("RTSP/1.0", request.Version);
        Assert.Equal(c.CSeq, request.CSeq);
        Assert.Equal(c.Headers, request.Headers.Count);
        Assert.Equal(c.Body, request.Body.Length);
    }

    [Theory]
    [MemberData(nameof(RtspParserCases.ValidNames), MemberType = typeof(RtspParserCases))]
    public void Every_truncation_prefix_is_incomplete(string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(RtspParserCases.Valid.Single(v => v.Name == name).Raw);
        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var result = RtspParser.TryParse(ref buffer, out _, out var error);
            Assert.True(result == RtspParseResult.Incomplete, $"prefix {length}: {result} {error.Kind}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(RtspParserCases.ValidNames), MemberType = typeof(RtspParserCases))]
    public void Split_across_two_segments_parses_like_whole(string name)
    {
        var c = RtspParserCases.Valid.Single(v => v.Name == name);
        var bytes = System.Text.Encoding.UTF8.GetBytes(c.Raw);
        for (var at = 0; at <= bytes.Length; at++)
        {
            var buffer = Segments.Split(bytes, at);
            Assert.Equal(RtspParseResult.Complete, RtspParser.TryParse(ref buffer, out var request, out _));
            Assert.True(buffer.IsEmpty);
            Assert.Equal(c.Method, request.Method);
            Assert.Equal(c.Uri, request.Uri);
            Assert.Equal(c.CSeq, request.CSeq);
            Assert.Equal(c.Headers, request.Headers.Count);
            Assert.Equal(c.Body, request.Body.Length);
        }
    }

    [Fact]
    public void Pipelined_requests_and_interleaved_frames_parse_in_order()
    {
        var interleaved = new byte[] { 0x24, 1, 0, 3, 0xAA, 0xBB, 0xCC };
        var all = RtspParserCases.Valid.SelectMany(c => System.Text.Encoding.UTF8.GetBytes(c.Raw)).ToList();
        var rtcpAt = System.Text.Encoding.UTF8.GetByteCount(RtspParserCases.Valid[0].Raw);
        all.InsertRange(rtcpAt, interleaved);
        all.InsertRange(0, "\r\n"u8.ToArray());
        var buffer = new ReadOnlySequence<byte>(all.ToArray());

        var methods = new List<string>();
        var frames = 0;
        while (true)
        {
            var result = RtspParser.TryParse(ref buffer, out var request, out _);
            if (result == RtspParseResult.Incomplete)
            {
                break;
            }

            Assert.NotEqual(RtspParseResult.Error, result);
            if (result == RtspParseResult.InterleavedFrame)
            {
                frames++;
            }
            else
            {
                methods.Add(request.Method);
            }
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(1, frames);
        Assert.Equal(RtspParserCases.Valid.Select(c => c.Method), methods);
    }

    [Fact]
    public void Partial_interleaved_frame_is_incomplete()
    {
        var bytes = new byte[] { 0x24, 0, 0, 10, 1, 2, 3 };
        for (var length = 0; length <= bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.Equal(RtspParseResult.Incomplete, RtspParser.TryParse(ref buffer, out _, out _));
        }
    }

    [Theory]
    [MemberData(nameof(RtspParserCases.InvalidNames), MemberType = typeof(RtspParserCases))]
    public void Bad_input_is_an_error_of_the_right_kind(string name)
    {
        var c = RtspParserCases.Invalid.Single(v => v.Name == name);
        var buffer = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(c.Raw));
        Assert.Equal(RtspParseResult.Error, RtspParser.TryParse(ref buffer, out _, out var error));
        Assert.Equal(c.Kind, error.Kind.ToString());
    }

    [Fact]
    public void Error_with_complete_header_block_resynchronizes_to_next_request()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("BAD-LINE\r\nX: y\r\n\r\nOPTIONS * RTSP/1.0\r\nCSeq: 9\r\n\r\n");
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(RtspParseResult.Error, RtspParser.TryParse(ref buffer, out _, out var error));
        Assert.True(error.Resynchronized);
        Assert.Equal(RtspParseResult.Complete, RtspParser.TryParse(ref buffer, out var request, out _));
        Assert.Equal(9, request.CSeq);
    }

    [Fact]
    public void Garbage_without_line_end_is_not_resynchronized()
    {
        var buffer = new ReadOnlySequence<byte>([0xFF, 0xFE, 0x00, 0x13]);
        Assert.Equal(RtspParseResult.Error, RtspParser.TryParse(ref buffer, out _, out var error));
        Assert.False(error.Resynchronized);
    }

    [Fact]
    public void Headers_are_case_insensitive_and_missing_cseq_is_null()
    {
        var buffer = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes("OPTIONS * RTSP/1.0\r\nsession: AB12;timeout=30\r\n\r\n"));
        Assert.Equal(RtspParseResult.Complete, RtspParser.TryParse(ref buffer, out var request, out _));
        Assert.Null(request.CSeq);
        Assert.Equal("AB12;timeout=30", request.Headers["SESSION"]);
        Assert.Equal("AB12", request.SessionId);
    }
}
