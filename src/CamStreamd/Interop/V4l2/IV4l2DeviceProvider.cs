namespace CamStreamd.Interop.V4l2;

/// <summary>Finds and opens V4L2 device nodes (the real <c>/dev</c>, or a fake in tests).</summary>
public interface IV4l2DeviceProvider
{
    /// <summary>The <c>/dev/video*</c> nodes present now, in numeric order.</summary>
    IReadOnlyList<string> ListDevices();

    /// <summary>Opens <paramref name="path"/> read/write, non-blocking; throws <see cref="Libc.LibcException"/> (ENOENT when missing).</summary>
    IV4l2Device Open(string path);
}
