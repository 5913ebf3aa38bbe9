using CamStreamd.Media.H264;
using CamStreamd.Tests.Rtsp.TestSupport;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Media.H264;

public class AccessUnitSplitterTests
{
    private static readonly byte[] Sps = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1E];
    private static readonly byte[] Pps = [0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80];

    // Slices: header byte, then the first byte of the slice header (top bit set: first_mb_in_slice = 0).
    private static readonly byte[] IdrFirst = [0, 0, 1, 0x65, 0x88, 0x80, 0x10];
    private static readonly byte[] IdrSecond = [0, 0, 1, 0x65, 0x40, 0x01];
    private static readonly byte[] PFirst = [0, 0, 0, 1, 0x41, 0x9A, 0x02];
    private static readonly byte[] PSecond = [0, 0, 1, 0x41, 0x30, 0x03];

    [Fact]
    public void Parameter_sets_open_a_unit_and_second_slices_stay_in_theirs()
    {
        byte[] stream = [.. Sps, .. Pps, .. IdrFirst, .. IdrSecond, .. PFirst, .. PSecond, .. PFirst];

        var units = AccessUnitSplitter.Split(stream);

        Assert.Equal(
            [
                (0, Sps.Length + Pps.Length + IdrFirst.Length + IdrSecond.Length),
                (Sps.Length + Pps.Length + IdrFirst.Length + IdrSecond.Length, PFirst.Length + PSecond.Length),
                (stream.Length - PFirst.Length, PFirst.Length),
            ],
            units);
    }

    [Fact]
    public void Trailing_parameter_sets_without_a_slice_are_not_a_unit()
    {
        byte[] stream = [.. IdrFirst, .. Sps, .. Pps];

        var units = AccessUnitSplitter.Split(stream);

        Assert.Equal([(0, IdrFirst.Length)], units);
    }

    [Fact]
    public void Bytes_without_a_start_code_give_no_unit()
    {
        Assert.Empty(AccessUnitSplitter.Split([0x65, 0x88, 0, 0]));
    }

    [Fact]
    public async Task An_x264_clip_with_several_slices_per_picture_splits_into_its_frames()
    {
        var directory = Directory.CreateTempSubdirectory("camstreamd-split-");
        try
        {
            var path = Path.Combine(directory.FullName, "clip.h264");
            var result = await PeerProcess.RunAsync("ffmpeg",
            [
                "-hide_banner", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30",
                "-frames:v", "45", "-c:v", "libx264", "-g", "30", "-bf", "0", "-x264-params", "slices=3", "-f", "h264", path,
            ], TimeSpan.FromSeconds(60), debianPackage: "ffmpeg");
            Assert.True(result.ExitCode == 0, result.StandardError);
            var bytes = await File.ReadAllBytesAsync(path);

            var units = AccessUnitSplitter.Split(bytes);

            // The test helper's independent grouping agrees unit by unit (it rewrites start codes to 4 bytes).
            var reference = H264Clip.Split(bytes);
            Assert.Equal(45, units.Count);
            Assert.Equal(reference.Count, units.Count);
            for (var i = 0; i < units.Count; i++)
            {
                Assert.Equal(Nals(reference[i].Data), Nals(bytes.AsSpan(units[i].Offset, units[i].Length)));
            }

            Assert.Equal(bytes.Length, units[^1].Offset + units[^1].Length);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static List<string> Nals(ReadOnlySpan<byte> unit)
    {
        var nals = new List<string>();
        var reader = new AnnexBReader(unit);
        while (reader.TryReadNext(out var nal))
        {
            nals.Add(Convert.ToHexString(nal));
        }

        return nals;
    }
}
