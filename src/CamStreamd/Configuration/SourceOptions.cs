namespace CamStreamd.Configuration;

/// <summary><c>streams[i].source</c>: the frame source of a stream.</summary>
public sealed record SourceOptions
{
    /// <summary><c>type</c>: required, one of <see cref="SourceTypes"/>.</summary>
    public string Type { get; init; } = "";

    /// <summary><c>device</c>: V4L2 device node (type <c>v4l2</c>).</summary>
    public string Device { get; init; } = "/dev/video0";

    /// <summary><c>width</c>: pixels, positive, even, at most 8192.</summary>
    public int Width { get; init; } = 1280;

    /// <summary><c>height</c>: pixels, positive, even, at most 8192.</summary>
    public int Height { get; init; } = 720;

    /// <summary><c>fps</c>: frames per second, 1..240.</summary>
    public double Fps { get; init; } = 30;

    /// <summary><c>format</c>: <c>auto</c>, <c>yuyv</c>, <c>nv12</c>, <c>yuv420</c>, <c>mjpeg</c> or <c>h264</c> (passed through).</summary>
    public string Format { get; init; } = "auto";

    /// <summary><c>url</c>: <c>rtsp://</c> URL to pull (type <c>rtsp</c>, required there).</summary>
    public string? Url { get; init; }

    /// <summary><c>transport</c>: <c>tcp</c> or <c>udp</c> (type <c>rtsp</c>).</summary>
    public string Transport { get; init; } = "tcp";

    /// <summary><c>username</c> for the upstream server (type <c>rtsp</c>).</summary>
    public string? Username { get; init; }

    /// <summary><c>password</c> for the upstream server; printed as <c>***</c> by <c>check-config</c>.</summary>
    public string? Password { get; init; }
}
