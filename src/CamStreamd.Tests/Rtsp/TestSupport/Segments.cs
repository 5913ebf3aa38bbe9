using System.Buffers;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, as a PipeReader hands them out.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] data, int at)
    {
        var first = new Segment(data.AsMemory(0, at));
        var second = first.Append(data.AsMemory(at));
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
