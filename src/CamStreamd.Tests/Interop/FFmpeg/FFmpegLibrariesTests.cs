using System.Runtime.InteropServices;
using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Interop.FFmpeg;

public class FFmpegLibrariesTests
{
    [Fact]
    public void Loads_a_supported_major_once()
    {
        var info = FFmpegLibraries.EnsureLoaded();

        Assert.Contains(info.AvcodecMajor, FFmpegLibraries.SupportedMajors);
        Assert.StartsWith($"{info.AvcodecMajor}.", info.AvcodecVersion, StringComparison.Ordinal);
        Assert.Equal($"libavcodec.so.{info.AvcodecMajor}", info.AvcodecSoname);
        Assert.Same(info, FFmpegLibraries.EnsureLoaded());
        Assert.Equal(info.AvcodecMajor, FFmpegLibraries.Layout.AvcodecMajor);

        // The LibraryImport path (through the resolver) sees the same library as the loader.
        Assert.Equal(info.AvcodecVersion, FFmpegVersionInfo.Format(LibAvCodec.avcodec_version()));
        Assert.Equal(info.AvutilVersion, FFmpegVersionInfo.Format(LibAvUtil.avutil_version()));
    }

    [Theory]
    [InlineData(LibAvCodec.LibraryName, "libavcodec.so.")]
    [InlineData(LibAvUtil.LibraryName, "libavutil.so.")]
    [InlineData("libswscale", "libswscale.so.")]
    [InlineData(LibAvFormat.LibraryName, "libavformat.so.")]
    public void Every_handle_the_resolver_gives_out_may_be_freed_by_the_runtime(string libraryName, string mappedName)
    {
        // NativeAOT frees the handle of a thread that lost the race to bind a P/Invoke. Each handle
        // must carry its own reference, or freeing a few would unload the library under its users.
        FFmpegLibraries.EnsureLoaded();
        var handles = Enumerable.Range(0, 3).Select(_ => FFmpegLibraries.Resolve(libraryName, typeof(FFmpegLibraries).Assembly, null)).ToArray();
        Assert.All(handles, h => Assert.Equal(handles[0], h));
        Assert.NotEqual(0, handles[0]);
        foreach (var handle in handles)
        {
            NativeLibrary.Free(handle);
        }

        Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.Contains($"/{mappedName}", StringComparison.Ordinal));
        Assert.True(NativeLibrary.TryGetExport(handles[0], libraryName == "libswscale" ? "swscale_version" : libraryName.Replace("lib", string.Empty, StringComparison.Ordinal) + "_version", out var version));
        Assert.NotEqual(0, version);
    }

    [Fact]
    public void Default_not_found_message_names_the_sonames_and_packages()
    {
        Assert.Equal(
            "libavcodec not found (tried libavcodec.so.61, .60, .59): install the Debian package libavcodec59 (Debian 12) or libavcodec61 (Debian 13)",
            FFmpegLibraries.NotFoundMessage(FFmpegSonameSet.Supported));
    }

    [Fact]
    public void Missing_libraries_throw_FFmpegUnavailableException_listing_what_was_tried()
    {
        FFmpegSonameSet[] bogus =
        [
            new("9.x", 999, 997, "libavcodec.so.999", "libavutil.so.997", "libswscale.so.99"),
            new("8.x", 998, 996, "libavcodec.so.998", "libavutil.so.996", "libswscale.so.98"),
        ];

        var e = Assert.Throws<FFmpegUnavailableException>(() => FFmpegLibraries.Load(bogus));

        Assert.Equal(
            "libavcodec not found (tried libavcodec.so.999, .998): install the Debian package libavcodec59 (Debian 12) or libavcodec61 (Debian 13)",
            e.Message);
    }

    [Fact]
    public void A_missing_libavutil_next_to_libavcodec_names_its_package()
    {
        var real = Installed();
        FFmpegSonameSet[] sets = [real with { Avutil = "libavutil.so.997" }];

        var e = Assert.Throws<FFmpegUnavailableException>(() => FFmpegLibraries.Load(sets));

        Assert.Contains("libavutil.so.997 not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("libavutil997", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_soname_whose_version_disagrees_with_its_set_is_refused()
    {
        var real = Installed();
        FFmpegSonameSet[] sets = [real with { AvutilMajor = real.AvutilMajor + 40 }];

        var e = Assert.Throws<FFmpegUnavailableException>(() => FFmpegLibraries.Load(sets));

        Assert.Contains($"expected majors {real.AvcodecMajor} and {real.AvutilMajor + 40}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_installed_set_loads_through_the_injectable_list()
    {
        var loaded = FFmpegLibraries.Load([Installed()]);

        Assert.NotEqual(0, loaded.Avcodec);
        Assert.Equal(FFmpegLibraries.EnsureLoaded().AvcodecVersion, loaded.Info.AvcodecVersion);
    }

    [Theory]
    [InlineData(58)]
    [InlineData(62)]
    public void An_unsupported_major_is_named_with_the_supported_ones(int major)
    {
        var version = (uint)((major << 16) | (3 << 8) | 100);

        var e = Assert.Throws<FFmpegUnavailableException>(() => FFmpegLibraries.CheckSupportedMajor(version));

        Assert.Contains($"libavcodec major version {major} ({major}.3.100) is not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains("59 (FFmpeg 5.1), 60 (FFmpeg 6.x), 61 (FFmpeg 7.x)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(60)]
    [InlineData(61)]
    public void Every_supported_major_has_a_layout(int major)
    {
        Assert.Equal(major, FFmpegLibraries.CheckSupportedMajor((uint)(major << 16)).AvcodecMajor);
    }

    [Fact]
    public void Errors_carry_the_call_and_av_strerror_text()
    {
        FFmpegLibraries.EnsureLoaded();

        Assert.Equal(0, FFmpegException.ThrowIfError(0, "avcodec_send_frame"));
        var e = Assert.Throws<FFmpegException>(() => FFmpegException.ThrowIfError(FFmpegConstants.AVERROR_EINVAL, "avcodec_send_frame"));

        Assert.Equal("avcodec_send_frame", e.Call);
        Assert.Equal(-22, e.ErrorCode);
        Assert.Equal("avcodec_send_frame failed: Invalid argument (AVERROR -22)", e.Message);
        Assert.Equal("End of file", FFmpegException.Describe(FFmpegConstants.AVERROR_EOF));
    }

    [Fact]
    public void An_unknown_option_is_a_typed_error_from_av_opt_set()
    {
        FFmpegLibraries.EnsureLoaded();
        var codec = LibAvCodec.avcodec_find_encoder_by_name("libx264");
        Assert.NotEqual(0, codec);
        using var context = AVCodecContextHandle.Allocate(codec);

        Assert.Equal(0, LibAvUtil.av_opt_set(context, "preset", "ultrafast", FFmpegConstants.AV_OPT_SEARCH_CHILDREN));
        var result = LibAvUtil.av_opt_set(context, "no-such-option", "1", FFmpegConstants.AV_OPT_SEARCH_CHILDREN);
        var e = Assert.Throws<FFmpegException>(() => FFmpegException.ThrowIfError(result, "av_opt_set(no-such-option)"));

        Assert.Contains("Option not found", e.Message, StringComparison.Ordinal);
    }

    private static FFmpegSonameSet Installed()
    {
        var major = FFmpegLibraries.EnsureLoaded().AvcodecMajor;
        return FFmpegSonameSet.Supported.Single(s => s.AvcodecMajor == major);
    }
}
