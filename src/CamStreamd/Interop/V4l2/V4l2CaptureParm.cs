using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_captureparm</c> (<c>parm.capture</c>), 40 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct V4l2CaptureParm
{
    /// <summary><c>capability</c> (<see cref="V4l2Constants.CapTimePerFrame"/>).</summary>
    public uint Capability;

    /// <summary><c>capturemode</c>.</summary>
    public uint CaptureMode;

    /// <summary><c>timeperframe</c>: the frame interval.</summary>
    public V4l2Fract TimePerFrame;

    /// <summary><c>extendedmode</c>.</summary>
    public uint ExtendedMode;

    /// <summary><c>readbuffers</c>.</summary>
    public uint ReadBuffers;

    /// <summary><c>__u32 reserved[4]</c>.</summary>
    public fixed uint Reserved[4];
}
