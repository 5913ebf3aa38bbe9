using System.Buffers;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>Builds a <see cref="ReadOnlySequence{T}"/> of many segments over copies of the input's pieces.</summary>
internal sealed class MultiSegment : ReadOnlySequenceSegment<byte>
{
    private MultiSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>Cuts <paramref name="data"/> at the ascending offsets <paramref name="cuts"/> (each piece is its own array).</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, IReadOnlyList<int> cuts)
    {
        var bounds = new List<int> { 0 };
        bounds.AddRange(cuts.Where(c => c > 0 && c < data.Length));
        bounds.Add(data.Length);
        MultiSegment? first = null;
        MultiSegment? last = null;
        for (var i = 0; i + 1 < bounds.Count; i++)
        {
            var piece = data.AsSpan(bounds[i], bounds[i + 1] - bounds[i]).ToArray();
            var segment = new MultiSegment(piece, bounds[i]);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.Next = segment;
            }

            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }
}
