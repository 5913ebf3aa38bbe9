using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>An H.264 clip made with ffmpeg at test time, split into access units (Annex-B, 4-byte start codes).</summary>
internal sealed class H264Clip
{
    private H264Clip(List<(byte[] Data, bool Keyframe)> units) => Units = units;

    public IReadOnlyList<(byte[] Data, bool Keyframe)> Units { get; }

    /// <summary>Encodes testsrc 640x360 at 30 fps with x264 (no B-frames) and the given GOP.</summary>
    public static async Task<H264Clip> CreateAsync(string directory, int gop, int seconds)
    {
        var path = Path.Combine(directory, $"clip_g{gop}.h264");
        var result = await PeerProcess.RunAsync("ffmpeg",
        [
            "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
            "-c:v", "libx264", "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-keyint_min", gop.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sc_threshold", "0",
            "-bf", "0", "-tune", "zerolatency", "-preset", "veryfast",
            "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "h264", path,
        ], TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("ffmpeg failed to make the test clip: " + result.StandardError);
        }

        return new H264Clip(Split(await File.ReadAllBytesAsync(path)));
    }

    /// <summary>
    /// Groups NAL units into access units: a new unit starts at a VCL NAL whose
    /// first_mb_in_slice is 0 (ue(v) "1" → top bit of the byte after the NAL header set),
    /// and non-VCL NALs (SPS, PPS, SEI, AUD) after a VCL NAL start the next unit.
    /// </summary>
    public static List<(byte[] Data, bool Keyframe)> Split(ReadOnlySpan<byte> stream)
    {
        var units = new List<(byte[], bool)>();
        var current = new List<byte>();
        var hasVcl = false;
        var keyframe = false;
        var reader = new AnnexBReader(stream);
        while (reader.TryReadNext(out var nal))
        {
            var type = AnnexBReader.NalType(nal);
            var vcl = type is NalUnitType.NonIdrSlice or NalUnitType.IdrSlice;
            var startsUnit = vcl ? nal.Length > 1 && (nal[1] & 0x80) != 0 : true;
            if (hasVcl && startsUnit)
            {
                units.Add((current.ToArray(), keyframe));
                current.Clear();
                hasVcl = false;
                keyframe = false;
            }

            current.AddRange((byte[])[0, 0, 0, 1]);
            current.AddRange(nal.ToArray());
            hasVcl |= vcl;
            keyframe |= type == NalUnitType.IdrSlice;
        }

        if (hasVcl)
        {
            units.Add((current.ToArray(), keyframe));
        }

        return units;
    }
}
