namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Byte offsets of the libavformat-side fields the muxer writes or reads directly (LP64: x86-64 and
/// arm64 alike), one table per libavformat major; everything else is set through AVOptions.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>59 (FFmpeg 5.1, Debian 12 libavformat-dev): <c>offsetof</c> probe against the installed
/// headers; <c>FFmpegFormatLayoutTests</c> repeats it on every run.</item>
/// <item>61 (FFmpeg 7.1): read from the 7.1 headers by hand. <c>AVStream</c> starts with an
/// <c>av_class</c> since libavformat 60 (<c>FF_API_AVSTREAM_CLASS</c>) and has <c>codecpar</c>
/// right after <c>id</c>; <c>AVCodecParameters</c> gained <c>coded_side_data</c> and
/// <c>nb_coded_side_data</c> after <c>extradata_size</c> (6.1), moving <c>width</c>/<c>height</c>.
/// The test checks the table in the Debian 13 root when its libavformat headers are there.</item>
/// <item>60 (FFmpeg 6.x) is missing on purpose: 6.0 and 6.1 share the major but not the
/// <c>AVCodecParameters</c> layout, so recording and RTMP/SRT refuse to start on it, naming the major.</item>
/// </list>
/// <c>AVFormatContext.pb</c> is at 32 in all (av_class, iformat, oformat, priv_data before it).
/// AVPacket: dts (16), stream_index (36) besides the fields of <see cref="FFmpegLayout"/>.
/// </remarks>
internal sealed record FFmpegFormatLayout(
    int AvformatMajor,
    int AVFormatContext_pb,
    int AVStream_time_base,
    int AVStream_codecpar,
    int AVCodecParameters_codec_type,
    int AVCodecParameters_codec_id,
    int AVCodecParameters_extradata,
    int AVCodecParameters_extradata_size,
    int AVCodecParameters_width,
    int AVCodecParameters_height,
    int AVPacket_dts,
    int AVPacket_stream_index)
{
    /// <summary>The table, by libavformat major.</summary>
    public static IReadOnlyList<FFmpegFormatLayout> Table { get; } =
    [
        new(59, AVFormatContext_pb: 32, AVStream_time_base: 16, AVStream_codecpar: 208, AVCodecParameters_codec_type: 0, AVCodecParameters_codec_id: 4,
            AVCodecParameters_extradata: 16, AVCodecParameters_extradata_size: 24, AVCodecParameters_width: 56, AVCodecParameters_height: 60,
            AVPacket_dts: 16, AVPacket_stream_index: 36),
        new(61, AVFormatContext_pb: 32, AVStream_time_base: 32, AVStream_codecpar: 16, AVCodecParameters_codec_type: 0, AVCodecParameters_codec_id: 4,
            AVCodecParameters_extradata: 16, AVCodecParameters_extradata_size: 24, AVCodecParameters_width: 72, AVCodecParameters_height: 76,
            AVPacket_dts: 16, AVPacket_stream_index: 36),
    ];

    /// <summary>The layout for <paramref name="avformatMajor"/>, or null when there is none.</summary>
    public static FFmpegFormatLayout? ForMajor(int avformatMajor) => Table.FirstOrDefault(l => l.AvformatMajor == avformatMajor);

    /// <summary>The offsets as "Struct.field" names (what the probe test prints and compares).</summary>
    public IEnumerable<KeyValuePair<string, int>> Offsets()
    {
        yield return new("AVFormatContext.pb", AVFormatContext_pb);
        yield return new("AVStream.time_base", AVStream_time_base);
        yield return new("AVStream.codecpar", AVStream_codecpar);
        yield return new("AVCodecParameters.codec_type", AVCodecParameters_codec_type);
        yield return new("AVCodecParameters.codec_id", AVCodecParameters_codec_id);
        yield return new("AVCodecParameters.extradata", AVCodecParameters_extradata);
        yield return new("AVCodecParameters.extradata_size", AVCodecParameters_extradata_size);
        yield return new("AVCodecParameters.width", AVCodecParameters_width);
        yield return new("AVCodecParameters.height", AVCodecParameters_height);
        yield return new("AVPacket.dts", AVPacket_dts);
        yield return new("AVPacket.stream_index", AVPacket_stream_index);
    }
}
