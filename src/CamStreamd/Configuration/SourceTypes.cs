namespace CamStreamd.Configuration;

/// <summary>Values of <c>streams[i].source.type</c>.</summary>
public static class SourceTypes
{
    /// <summary>A V4L2 capture device.</summary>
    public const string V4l2 = "v4l2";

    /// <summary>The built-in test pattern.</summary>
    public const string TestPattern = "testPattern";

    /// <summary>Pull from an upstream RTSP server.</summary>
    public const string Rtsp = "rtsp";

    /// <summary>A composite: several cameras or streams tiled into one picture.</summary>
    public const string Composite = "composite";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [V4l2, TestPattern, Rtsp, Composite];
}
