using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Rtp;

/// <summary>Builds synthetic H.264 access units whose NAL bodies contain no zero bytes (so no false start codes).</summary>
internal static class RtpTestStreams
{
    public static byte[] Nal(byte header, int length, int seed)
    {
        var random = new Random(seed);
        var nal = new byte[length];
        nal[0] = header;
        for (var i = 1; i < length; i++)
        {
            nal[i] = (byte)random.Next(1, 256);
        }

        // first_mb_in_slice = 0 for slices: ue(v) '1' is the top bit after the header.
        if (length > 1 && (header & 0x1F) is NalUnitType.NonIdrSlice or NalUnitType.IdrSlice)
        {
            nal[1] |= 0x80;
        }

        return nal;
    }

    public static byte[] AnnexB(IEnumerable<byte[]> nals, bool threeByteStartCodes = false)
    {
        var output = new List<byte>();
        foreach (var nal in nals)
        {
            output.AddRange(threeByteStartCodes ? [0, 0, 1] : [0, 0, 0, 1]);
            output.AddRange(nal);
        }

        return [.. output];
    }

    /// <summary>The Annex-B form the depacketizer produces: 4-byte start codes, access unit delimiters removed.</summary>
    public static byte[] ExpectedAfterRoundTrip(IEnumerable<byte[]> nals) =>
        AnnexB(nals.Where(n => (n[0] & 0x1F) != NalUnitType.AccessUnitDelimiter));

    public static byte[][] Keyframe(int sliceLength, int seed) =>
    [
        [0x09, 0xF0],
        Nal(0x67, 12, seed),
        Nal(0x68, 5, seed + 1),
        Nal(0x06, 20, seed + 2),
        Nal(0x65, sliceLength, seed + 3),
    ];

    public static byte[][] PFrame(int sliceLength, int seed) => [Nal(0x41, sliceLength, seed)];

    public static AccessUnit Unit(AccessUnitPool pool, byte[][] nals, long frameNumber, long timestamp90k)
    {
        var unit = pool.Rent();
        var ticks = (long)((Int128)timestamp90k * System.Diagnostics.Stopwatch.Frequency / AccessUnit.ClockRate);
        unit.Set(AnnexB(nals), ticks, nals.Any(n => (n[0] & 0x1F) == NalUnitType.IdrSlice), frameNumber);
        return unit;
    }

    public static List<byte[]> Packets(AccessUnit unit)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < unit.Rtp.PacketCount; i++)
        {
            list.Add(unit.Rtp.GetPacket(i).ToArray());
        }

        return list;
    }
}
