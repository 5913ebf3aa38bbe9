namespace CamStreamd.Capture;

/// <summary>What <see cref="V4l2Source"/> asks of the camera.</summary>
/// <param name="Device">The node (<c>/dev/video0</c>).</param>
/// <param name="Format"><c>auto</c>, <c>nv12</c>, <c>yuv420</c>, <c>yuyv</c>, <c>mjpeg</c> or <c>h264</c> (<c>source.format</c>).</param>
/// <param name="Width">Wanted width (the nearest offered is used).</param>
/// <param name="Height">Wanted height.</param>
/// <param name="Fps">Wanted frame rate (the nearest offered is used).</param>
/// <param name="Engine"><c>encoder.engine</c>: <c>auto</c> or <c>passthrough</c> let <c>auto</c> pick H.264 when the camera has it.</param>
public sealed record V4l2SourceOptions(string Device, string Format, int Width, int Height, double Fps, string Engine = "auto")
{
    /// <summary>Driver buffers requested (one being filled, one waiting, two for consumers).</summary>
    public int BufferCount { get; init; } = 4;

    /// <summary>No frame for this long means the camera is lost.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>One poll(2) waits at most this long, so stopping and the frame timeout are checked often.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
