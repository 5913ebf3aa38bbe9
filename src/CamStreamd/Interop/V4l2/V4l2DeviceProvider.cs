using System.Globalization;

namespace CamStreamd.Interop.V4l2;

/// <summary>The real device nodes under <c>/dev</c>.</summary>
public sealed class V4l2DeviceProvider : IV4l2DeviceProvider
{
    /// <summary>The shared instance.</summary>
    public static V4l2DeviceProvider Instance { get; } = new();

    /// <inheritdoc/>
    public IReadOnlyList<string> ListDevices()
    {
        if (!Directory.Exists("/dev"))
        {
            return [];
        }

        return Directory.GetFiles("/dev", "video*")
            .Select(path => (Path: path, Number: int.TryParse(path.AsSpan("/dev/video".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue))
            .OrderBy(d => d.Number)
            .ThenBy(d => d.Path, StringComparer.Ordinal)
            .Select(d => d.Path)
            .ToList();
    }

    /// <inheritdoc/>
    public IV4l2Device Open(string path) => V4l2Device.Open(path);
}
