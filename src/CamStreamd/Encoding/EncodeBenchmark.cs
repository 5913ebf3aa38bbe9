using System.Diagnostics;
using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// The C# half of <c>bench/encode.sh</c> (hidden verb <c>camstreamd bench-encode</c>): reads raw
/// I420 frames from a file into memory, encodes them with an engine through our binding
/// (<c>x264</c>: libx264 directly; <c>x264-libavcodec</c>: the same libx264 through FFmpeg's
/// wrapper, for comparison; the hardware engines through FFmpeg), and
/// prints one line: frames, seconds, frames/s, CPU milliseconds per frame, per-frame
/// <see cref="IVideoEncoder.Encode"/> latency (median, 95th percentile) in milliseconds, and how
/// many pictures were lent to the encoder without a copy.
/// </summary>
public static class EncodeBenchmark
{
    private const int WarmUpFrames = 120;

    /// <summary>Runs the benchmark; returns 0.</summary>
    public static int Run(string input, int width, int height, int fps, long bitrate, int gop, int threads, string engine, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var frameSize = (width * height) + (2 * ((width + 1) / 2) * ((height + 1) / 2));
        var raw = File.ReadAllBytes(input);
        var count = raw.Length / frameSize;
        if (count == 0)
        {
            throw new ArgumentException($"{input} holds less than one {width}x{height} I420 frame", nameof(input));
        }

        var pool = new VideoFramePool(width, height);
        var frames = new VideoFrame[count];
        for (var i = 0; i < count; i++)
        {
            frames[i] = pool.Rent();
            raw.AsSpan(i * frameSize, width * height).CopyTo(frames[i].Y);
            raw.AsSpan((i * frameSize) + (width * height), frames[i].U.Length).CopyTo(frames[i].U);
            raw.AsSpan((i * frameSize) + (width * height) + frames[i].U.Length, frames[i].V.Length).CopyTo(frames[i].V);
            frames[i].FrameNumber = i;
            frames[i].CaptureTimestamp = i * Stopwatch.Frequency / fps;
        }

        var settings = new EncoderSettings(width, height, fps, bitrate, gop) { Threads = threads };
        var sink = new DiscardingSink();
        if (engine == EncoderEngines.Passthrough)
        {
            throw new ArgumentException("passthrough does not encode", nameof(engine));
        }

        // A daemon encodes for months: measure steady state, with our code already compiled by the
        // JIT's final tier (a throwaway encoder first), not the first seconds of a process.
        using (var warmUp = Open(engine, settings))
        {
            var warmUpSink = new DiscardingSink();
            for (var i = 0; i < Math.Min(count, WarmUpFrames); i++)
            {
                warmUp.Encode(frames[i], warmUpSink);
            }
        }

        var latencies = new double[count];
        using var encoder = Open(engine, settings);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var before = Stopwatch.GetTimestamp();
            encoder.Encode(frames[i], sink);
            latencies[i] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        process.Refresh();

        // CPU time of every thread (x264's included), as ffmpeg's -benchmark utime+stime counts it:
        // less disturbed than wall time when the machine is busy.
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Array.Sort(latencies);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"frames={count} seconds={seconds:F3} fps={count / seconds:F1} cpu_ms_per_frame={1000 * cpuSeconds / count:F3} median_ms={latencies[count / 2]:F2} p95_ms={latencies[(int)(count * 0.95)]:F2} lent={Lent(encoder)} bytes={sink.Bytes}"));
        return 0;
    }

    /// <summary>The engine name that opens libx264 through FFmpeg's wrapper instead of directly.</summary>
    public const string X264ThroughLibavcodec = "x264-libavcodec";

    private static IVideoEncoder Open(string engine, EncoderSettings settings) => engine switch
    {
        EncoderEngines.X264 => new X264VideoEncoder(settings, new AccessUnitPool(1024 * 1024)),
        X264ThroughLibavcodec => new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool(1024 * 1024)),
        _ => new FFmpegVideoEncoder(engine, settings, new AccessUnitPool(1024 * 1024)),
    };

    private static long Lent(IVideoEncoder encoder) => encoder switch
    {
        X264VideoEncoder direct => direct.PicturesLent,
        FFmpegVideoEncoder ffmpeg => ffmpeg.PicturesLent,
        _ => 0,
    };

    private sealed class DiscardingSink : IAccessUnitSink
    {
        public long Bytes { get; private set; }

        public void Publish(AccessUnit unit)
        {
            Bytes += unit.Length;
            unit.Release();
        }
    }
}
