using System.Diagnostics;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Media.H264;

public class SpsParserTests
{
    /// <summary>Encodes one frame with the real ffmpeg/libx264 and returns its SPS NAL unit.</summary>
    private static byte[] EncodeSps(string size, string pixelFormat, string profile, string x264Params = "")
    {
        var file = Path.Combine(Path.GetTempPath(), $"sps-{Guid.NewGuid():N}.h264");
        try
        {
            var info = new ProcessStartInfo("ffmpeg")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[]
            {
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", $"testsrc=size={size}:rate=30",
                "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", pixelFormat, "-profile:v", profile,
            })
            {
                info.ArgumentList.Add(arg);
            }

            if (x264Params.Length > 0)
            {
                info.ArgumentList.Add("-x264-params");
                info.ArgumentList.Add(x264Params);
            }

            info.ArgumentList.Add("-f");
            info.ArgumentList.Add("h264");
            info.ArgumentList.Add(file);
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(30_000), "ffmpeg did not finish");
            Assert.True(process.ExitCode == 0, stderr.Result);

            var reader = new AnnexBReader(File.ReadAllBytes(file));
            while (reader.TryReadNext(out var nal))
            {
                if (AnnexBReader.NalType(nal) == NalUnitType.Sps)
                {
                    return nal.ToArray();
                }
            }

            throw new InvalidOperationException("no SPS in the encoded stream");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("1280x720", "yuv420p", "main", "", 77, 1280, 720, 1)]
    [InlineData("1920x1080", "yuv420p", "main", "", 77, 1920, 1080, 1)]     // coded 1088, cropped
    [InlineData("320x240", "yuv420p", "baseline", "", 66, 320, 240, 1)]
    [InlineData("640x480", "yuv420p", "high", "", 100, 640, 480, 1)]
    [InlineData("1920x1080", "yuv420p", "high", "cqm=jvt:interlaced=1", 100, 1920, 1080, 1)] // scaling lists, field coding
    [InlineData("640x360", "yuv444p", "high444", "cqm=jvt", 244, 640, 360, 3)] // 12 scaling lists, crop unit 1
    [InlineData("322x242", "yuv420p", "high", "", 100, 322, 242, 1)]      // left/right and bottom crop
    [InlineData("352x288", "yuv422p", "high422", "", 122, 352, 288, 2)]
    public void Parses_real_x264_sps(string size, string pixelFormat, string profile, string x264Params, int profileIdc, int width, int height, int chroma)
    {
        var nal = EncodeSps(size, pixelFormat, profile, x264Params);
        Assert.True(SpsParser.TryParse(nal, out var sps));
        Assert.NotNull(sps);
        Assert.Equal(profileIdc, sps.ProfileIdc);
        Assert.Equal(width, sps.Width);
        Assert.Equal(height, sps.Height);
        Assert.Equal(chroma, sps.ChromaFormatIdc);
        Assert.Equal(nal[2], sps.ConstraintFlags);
        Assert.Equal(nal[3], sps.LevelIdc);
        Assert.InRange(sps.LevelIdc, 9, 62);
        Assert.Equal(Convert.ToHexString(nal, 1, 3), sps.ProfileLevelId);
        Assert.True(ProfileLevelId.TryFormat(nal, out var pli));
        Assert.Equal(sps.ProfileLevelId, pli);
        Assert.Equal(!x264Params.Contains("interlaced", StringComparison.Ordinal), sps.FrameMbsOnly);
        Assert.True(sps.CodedWidth % 16 == 0 && sps.CodedWidth >= width);
    }

    [Fact]
    public void Parses_a_known_baseline_sps_with_an_emulation_prevention_byte()
    {
        // Baseline 3.1, 1280x720: 67 42 C0 1F ... (hand-checked layout, contains 00 00 03).
        byte[] nal = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xEC, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0F, 0x23, 0xC6, 0x0C, 0xA8];
        Assert.True(SpsParser.TryParse(nal, out var sps));
        Assert.Equal(66, sps!.ProfileIdc);
        Assert.Equal("42C01F", sps.ProfileLevelId);
        Assert.Equal(1280, sps.Width);
        Assert.Equal(720, sps.Height);
    }

    [Fact]
    public void Exp_golomb_codes_read_as_specified()
    {
        // Bits: 1 | 010 | 011 | 00100 | 00101 -> ue 0, 1, 2, 3; then se of 00101 (code 4) = -2.
        byte[] data = [0b1010_0110, 0b0100_0010, 0b1000_0000];
        var r = new RbspBitReader(data);
        Assert.Equal(0u, r.ReadUe());
        Assert.Equal(1u, r.ReadUe());
        Assert.Equal(2u, r.ReadUe());
        Assert.Equal(3u, r.ReadUe());
        Assert.Equal(-2, r.ReadSe());
        Assert.False(r.HasError);
        r.ReadBits(16);
        Assert.True(r.HasError);
    }

    [Fact]
    public void Emulation_prevention_bytes_are_skipped()
    {
        byte[] data = [0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0x03, 0x03];
        var r = new RbspBitReader(data);
        Assert.Equal(0x0000_0100u, r.ReadBits(32));
        Assert.Equal(0x0003u, r.ReadBits(16)); // RBSP 00 00 01 00 00 03: the second 03 is data
        Assert.False(r.HasError);
    }

    [Fact]
    public void Truncated_or_garbage_input_is_rejected_without_exceptions()
    {
        var nal = EncodeSps("640x480", "yuv420p", "high");
        for (var cut = 0; cut < nal.Length - 1; cut++)
        {
            var ok = SpsParser.TryParse(nal.AsSpan(0, cut), out var parsed);
            Assert.Equal(ok, parsed is not null);
        }

        Assert.False(SpsParser.TryParse(nal.AsSpan(0, 6), out _));
        Assert.False(SpsParser.TryParse([0x68, 1, 2, 3, 4], out _)); // a PPS
        var random = new Random(7);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 40)];
            random.NextBytes(bytes);
            if (bytes.Length > 0)
            {
                bytes[0] = 0x67;
            }

            if (SpsParser.TryParse(bytes, out var parsed))
            {
                Assert.True(parsed!.Width > 0 && parsed.Height > 0);
            }
        }
    }
}
