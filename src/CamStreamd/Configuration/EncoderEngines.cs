namespace CamStreamd.Configuration;

/// <summary>Values of <c>streams[i].encoder.engine</c>.</summary>
public static class EncoderEngines
{
    /// <summary>Usable hardware engines first, then x264.</summary>
    public const string Auto = "auto";

    /// <summary>Rockchip MPP (h264_rkmpp).</summary>
    public const string Rkmpp = "rkmpp";

    /// <summary>V4L2 memory-to-memory encoder (h264_v4l2m2m).</summary>
    public const string V4l2m2m = "v4l2m2m";

    /// <summary>VA-API (h264_vaapi).</summary>
    public const string Vaapi = "vaapi";

    /// <summary>libx264 in software.</summary>
    public const string X264 = "x264";

    /// <summary>The source already delivers H.264; no encoding.</summary>
    public const string Passthrough = "passthrough";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, Rkmpp, V4l2m2m, Vaapi, X264, Passthrough];
}
