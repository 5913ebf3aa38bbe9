using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_fract</c>: a frame interval in seconds, numerator / denominator (8 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct V4l2Fract
{
    /// <summary><c>numerator</c>.</summary>
    public uint Numerator;

    /// <summary><c>denominator</c>.</summary>
    public uint Denominator;

    /// <summary>Frames per second of this interval (0 when undefined).</summary>
    public readonly double FramesPerSecond => Numerator == 0 ? 0 : (double)Denominator / Numerator;
}
