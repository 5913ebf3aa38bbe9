using System.Buffers;
using StringBuilder = System.Text.StringBuilder;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// The properties <see cref="RtspParser.TryParse"/> must keep on any byte string:
/// <list type="bullet">
/// <item>it never throws (out-of-bounds reads would surface as exceptions: the parser is safe code);</item>
/// <item>every Complete, InterleavedFrame and resynchronized Error consumes at least one byte (the
/// connection loop would spin otherwise), Incomplete consumes only leading blank lines, and what is
/// left is always a suffix of the input;</item>
/// <item>the same bytes cut into many segments, or arriving a few at a time as from a socket, give
/// the same requests and results (up to the first error, whose kind may differ only by resync);</item>
/// <item>a parsed request, written out again, parses to the same method, URI, version, headers and body;</item>
/// <item>one parse call allocates at most a fixed multiple of the bytes it may look at, and that is capped by the parser's limits whatever the input.</item>
/// </list>
/// </summary>
internal static class RtspParserFuzzProperty
{
    /// <summary>Most parse calls per input (every call consumes a byte or stops, so this is never hit).</summary>
    private const int MaxSteps = FuzzMutator.MaxInputLength + 16;

    /// <summary>Allocation allowed per parse call and byte looked at (UTF-16 strings, a header object per short line, the UTF-8 decoder's replacement path for invalid bytes, body copy).</summary>
    private const int AllocationPerByte = 128;

    /// <summary>Allocation allowed per parse call besides that (request and header objects).</summary>
    private const int AllocationPerCall = 16 * 1024;

    /// <summary>The most bytes one parse call needs to look at: request line, header block and body at their limits.</summary>
    private const int MaxBytesLookedAt = RtspParser.MaxRequestLineLength + RtspParser.MaxHeaderBytes + RtspParser.MaxContentLength;

    /// <summary>The target, seeded with requests as ffmpeg, GStreamer and VLC send them.</summary>
    public static FuzzTarget Target { get; } = new("rtsp-request", Seeds(), Check);

    private static byte[][] Seeds() =>
    [
        .. Protocol.RtspParserCases.Valid.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Raw)),
        .. Protocol.RtspParserCases.Invalid.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Raw)),
        System.Text.Encoding.UTF8.GetBytes("SETUP rtsp://10.0.0.2:8554/cam0/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nUser-Agent: GStreamer/1.22\r\nTransport: RTP/AVP;unicast;client_port=50000-50001,RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"),
        System.Text.Encoding.Latin1.GetBytes("GET_PARAMETER rtsp://h/cam0 RTSP/1.0\r\nCSeq: 9\r\nSession: 0123456789ABCDEF\r\n\r\n$\u0001\u0000\u0008\u0081\u00C9\u0000\u0001\u0000\u0000\u0000\u0001OPTIONS * RTSP/1.0\r\nCSeq: 10\r\n\r\n"),
        [0x24, 0x01, 0x00, 0x20, 0x81, 0xC9, 0x00, 0x07, .. new byte[28]],
    ];

    private static void Check(byte[] input)
    {
        var whole = ParseAll(new ReadOnlySequence<byte>(input), input.Length);

        var random = new Random(input.Length ^ (input.Length > 0 ? input[0] << 8 : 0));
        AssertSame(whole, ParseAll(Segmented(input, random), input.Length), "multi-segment", untilFirstError: false);
        AssertSame(whole, ParseIncrementally(input, random), "incremental", untilFirstError: true);

        foreach (var step in whole)
        {
            if (step.Request is { } request)
            {
                CheckRoundTrip(request);
            }
        }
    }

    /// <summary>One parse call's outcome, comparable across ways of feeding the bytes.</summary>
    private readonly record struct Step(RtspParseResult Result, RtspParseErrorKind Kind, bool Resynced, long ConsumedTo, RtspRequest? Request)
    {
        public string Describe() => $"{Result} {Kind} resynced={Resynced} at {ConsumedTo} {Request?.Method} {Request?.Uri}";
    }

    private static List<Step> ParseAll(ReadOnlySequence<byte> buffer, long total)
    {
        var steps = new List<Step>();
        for (var i = 0; i < MaxSteps; i++)
        {
            var before = buffer;
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var result = RtspParser.TryParse(ref buffer, out var request, out var error);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            var allowed = (AllocationPerByte * Math.Min(before.Length, MaxBytesLookedAt)) + AllocationPerCall;
            FuzzPropertyException.Require(allocated <= allowed, $"one parse call over {before.Length} bytes allocated {allocated} bytes (allowed {allowed})");
            CheckConsumption(before, buffer, result, error);
            steps.Add(new Step(result, error.Kind, error.Resynchronized, total - buffer.Length, result == RtspParseResult.Complete ? request : null));
            if (result == RtspParseResult.Incomplete || (result == RtspParseResult.Error && !error.Resynchronized))
            {
                return steps;
            }
        }

        throw new FuzzPropertyException($"no end after {MaxSteps} parse calls");
    }

    /// <summary>The bytes arriving in random small reads, parsed the way RtspConnection's loop does.</summary>
    private static List<Step> ParseIncrementally(byte[] input, Random random)
    {
        var steps = new List<Step>();
        var start = 0L;
        var available = 0;
        for (var i = 0; i < MaxSteps * 2; i++)
        {
            var buffer = new ReadOnlySequence<byte>(input, (int)start, available - (int)start);
            var before = buffer;
            var result = RtspParser.TryParse(ref buffer, out var request, out var error);
            CheckConsumption(before, buffer, result, error);
            start = available - buffer.Length;
            if (result == RtspParseResult.Incomplete && available < input.Length)
            {
                available = Math.Min(input.Length, available + 1 + random.Next(random.Next(2) == 0 ? 4 : 2048));
                continue;
            }

            steps.Add(new Step(result, error.Kind, error.Resynchronized, start, result == RtspParseResult.Complete ? request : null));
            if (result == RtspParseResult.Incomplete || (result == RtspParseResult.Error && !error.Resynchronized))
            {
                return steps;
            }
        }

        throw new FuzzPropertyException($"no end after {MaxSteps * 2} incremental parse calls");
    }

    private static void CheckConsumption(ReadOnlySequence<byte> before, ReadOnlySequence<byte> after, RtspParseResult result, RtspParseError error)
    {
        FuzzPropertyException.Require(after.Length <= before.Length, "the buffer grew");
        FuzzPropertyException.Require(after.End.Equals(before.End), "the buffer's end moved: what is left is not a suffix");
        var consumed = before.Slice(0, before.Length - after.Length);
        switch (result)
        {
            case RtspParseResult.Complete or RtspParseResult.InterleavedFrame:
                FuzzPropertyException.Require(consumed.Length > 0, $"{result} consumed nothing");
                break;
            case RtspParseResult.Error when error.Resynchronized:
                FuzzPropertyException.Require(consumed.Length > 0, $"a resynchronized {error.Kind} consumed nothing (the connection would answer 400 forever)");
                break;
            case RtspParseResult.Error:
                FuzzPropertyException.Require(error.Kind != RtspParseErrorKind.None, "Error without a kind");
                break;
            case RtspParseResult.Incomplete:
                foreach (var segment in consumed)
                {
                    FuzzPropertyException.Require(!segment.Span.ContainsAnyExcept((byte)'\r', (byte)'\n'), "Incomplete consumed more than blank lines");
                }

                break;
        }
    }

    private static void AssertSame(List<Step> expected, List<Step> actual, string how, bool untilFirstError)
    {
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : (Step?)null;
            var a = i < actual.Count ? actual[i] : (Step?)null;
            var context = $"{how} parse differs at step {i}: whole buffer gave [{e?.Describe()}], {how} gave [{a?.Describe()}]";
            FuzzPropertyException.Require(e is not null && a is not null, context);
            FuzzPropertyException.Require(e!.Value.Result == a!.Value.Result, context);
            if (untilFirstError && e.Value.Result == RtspParseResult.Error)
            {
                // Arriving in pieces, an oversized block is refused before its end arrives (kind
                // and resync may differ); the connection closes there either way.
                return;
            }

            FuzzPropertyException.Require(e.Value.Kind == a.Value.Kind && e.Value.Resynced == a.Value.Resynced && e.Value.ConsumedTo == a.Value.ConsumedTo, context);
            if (e.Value.Request is { } er)
            {
                AssertSameRequest(er, a.Value.Request!, context);
            }
        }
    }

    private static void AssertSameRequest(RtspRequest expected, RtspRequest actual, string context)
    {
        FuzzPropertyException.Require(
            expected.Method == actual.Method && expected.Uri == actual.Uri && expected.Version == actual.Version
            && expected.Headers.SequenceEqual(actual.Headers) && expected.Body.Span.SequenceEqual(actual.Body.Span),
            $"{context}: requests differ\n{Serialize(expected)}\n---\n{Serialize(actual)}");
    }

    /// <summary>Writes the request out as a client would send it and parses it back.</summary>
    private static void CheckRoundTrip(RtspRequest request)
    {
        var head = Serialize(request);
        var lineLength = System.Text.Encoding.UTF8.GetByteCount(head[..(head.IndexOf('\n', StringComparison.Ordinal) + 1)]);
        var headLength = System.Text.Encoding.UTF8.GetByteCount(head);
        if (lineLength > RtspParser.MaxRequestLineLength || headLength - lineLength > RtspParser.MaxHeaderBytes)
        {
            // Written out canonically (": " after names, U+FFFD for each invalid UTF-8 byte) the
            // request grew past a limit the original was under; the limit is right to refuse it.
            return;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(head).Concat(request.Body.ToArray()).ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        var result = RtspParser.TryParse(ref buffer, out var again, out var error);
        FuzzPropertyException.Require(
            result == RtspParseResult.Complete && buffer.IsEmpty,
            $"re-serialized request did not parse: {result} {error.Kind}, {buffer.Length} bytes left\n{FuzzRunner.Escape(bytes)}");
        AssertSameRequest(request, again, "re-serialized request");
    }

    private static string Serialize(RtspRequest request)
    {
        var sb = new StringBuilder().Append(request.Method).Append(' ').Append(request.Uri).Append(' ').Append(request.Version).Append("\r\n");
        foreach (var (name, value) in request.Headers)
        {
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    /// <summary>The input cut at random points into 1..12 segments (sometimes one byte each), as a Pipe hands it out.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] input, Random random)
    {
        if (input.Length < 2)
        {
            return new ReadOnlySequence<byte>(input);
        }

        var cuts = random.Next(8) == 0 && input.Length <= 512
            ? Enumerable.Range(1, input.Length - 1).ToArray()
            : [.. Enumerable.Range(0, 1 + random.Next(11)).Select(_ => 1 + random.Next(input.Length - 1)).Distinct().Order()];
        return MultiSegment.Create(input, cuts);
    }
}
