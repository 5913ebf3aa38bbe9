using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>libavutil's <c>AVRational</c> (rational.h): two <c>int</c>s, 8 bytes, passed by value.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct AVRational
{
    /// <summary>Numerator.</summary>
    public readonly int num;

    /// <summary>Denominator.</summary>
    public readonly int den;

    public AVRational(int num, int den)
    {
        this.num = num;
        this.den = den;
    }
}
