using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;

namespace CamStreamd.Benchmarks;

/// <summary>Access units shaped like the benchmark clip's frames (4 Mbit/s at 30 fps: about 16.7 KB).</summary>
internal static class SampleUnits
{
    /// <summary>FU-A fragments per frame: one NAL unit of 1 + 12 x 1386 bytes (1400-byte packets).</summary>
    public const int PacketsPerFrame = 12;

    /// <summary>One P-slice NAL unit (type 1) that fills exactly <see cref="PacketsPerFrame"/> packets.</summary>
    public static byte[] Frame(bool keyframe)
    {
        var payload = H264RtpPacketizer.DefaultMaxPacketSize - 12 - H264RtpPacketizer.FuHeaderLength;
        var nal = new byte[1 + (PacketsPerFrame * payload)];
        new Random(1).NextBytes(nal);
        for (var i = 1; i < nal.Length; i++)
        {
            // No accidental start codes inside the payload.
            if (nal[i] < 4)
            {
                nal[i] = 0x55;
            }
        }

        nal[0] = keyframe ? (byte)0x65 : (byte)0x41;
        return [0, 0, 0, 1, .. nal];
    }

    /// <summary>Rents a unit from <paramref name="pool"/> holding <paramref name="annexB"/> as frame <paramref name="number"/>.</summary>
    public static AccessUnit Rent(AccessUnitPool pool, byte[] annexB, long number, bool keyframe)
    {
        var unit = pool.Rent();
        unit.Set(annexB, number * Stopwatch.Frequency / 30, keyframe, number);
        return unit;
    }
}
