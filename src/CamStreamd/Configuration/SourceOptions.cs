namespace CamStreamd.Configuration;

/// <summary><c>streams[i].source</c>: the frame source of a stream.</summary>
/// <param name="Type"><c>type</c>: required, one of <see cref="SourceTypes"/>.</param>
/// <param name="Device"><c>device</c>: V4L2 device node (type <c>v4l2</c>).</param>
/// <param name="Width"><c>width</c>: pixels, positive, even, at most 8192.</param>
/// <param name="Height"><c>height</c>: pixels, positive, even, at most 8192.</param>
/// <param name="Fps"><c>fps</c>: frames per second, 1..240.</param>
/// <param name="Format"><c>format</c>: <c>auto</c>, <c>yuyv</c>, <c>nv12</c>, <c>yuv420</c>, <c>mjpeg</c> or <c>h264</c> (passed through).</param>
/// <param name="Url"><c>url</c>: <c>rtsp://</c> URL to pull (type <c>rtsp</c>, required there).</param>
/// <param name="Transport"><c>transport</c>: <c>tcp</c> or <c>udp</c> (type <c>rtsp</c>).</param>
/// <param name="Username"><c>username</c> for the upstream server (type <c>rtsp</c>).</param>
/// <param name="Password"><c>password</c> for the upstream server; printed as <c>***</c> by <c>check-config</c>.</param>
/// <param name="Inputs"><c>inputs</c>: the tiles of a composite (type <c>composite</c>, at least one).</param>
/// <param name="Layout"><c>layout</c>: <c>grid</c> lays the inputs out evenly, in place of their rectangles (type <c>composite</c>).</param>
/// <param name="HoldSeconds"><c>holdSeconds</c>: how long a lost input's last picture stays before its tile turns black (type <c>composite</c>, 1..3600).</param>
/// <param name="Background"><c>background</c>: colour of the uncovered canvas and letterbox bars, a name (<c>black</c>, <c>white</c>, <c>gray</c>, ...) or <c>#RRGGBB</c> (type <c>composite</c>).</param>
public sealed record SourceOptions(
    string Type = "",
    string Device = "/dev/video0",
    int Width = 1280,
    int Height = 720,
    double Fps = 30,
    string Format = "auto",
    string? Url = null,
    string Transport = "tcp",
    string? Username = null,
    string? Password = null,
    IReadOnlyList<CompositeInputOptions>? Inputs = null,
    string? Layout = null,
    double HoldSeconds = 10,
    string Background = "black");
