using System.Globalization;
using CamStreamd.Interop.Libc;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Capture;

/// <summary><c>camstreamd devices</c>: every V4L2 capture node with driver, card, bus, formats, sizes and rates.</summary>
public static class V4l2DeviceReport
{
    /// <summary>Discrete sizes listed per format before the rest is summarised.</summary>
    private const int MaxSizesPerFormat = 16;

    /// <summary>Writes the report; returns the number of capture devices found.</summary>
    public static int Write(IV4l2DeviceProvider provider, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(output);
        var captures = 0;
        var nodes = provider.ListDevices();
        foreach (var path in nodes)
        {
            IV4l2Device device;
            try
            {
                device = provider.Open(path);
            }
            catch (LibcException e)
            {
                output.WriteLine($"{path}: cannot open: {e.Message}");
                continue;
            }

            using (device)
            {
                try
                {
                    captures += WriteDevice(device, output) ? 1 : 0;
                }
                catch (LibcException e)
                {
                    output.WriteLine($"{path}: {e.Message}");
                }
            }
        }

        if (captures == 0)
        {
            output.WriteLine(nodes.Count == 0
                ? "No video devices (/dev/video*) found. Plug in a camera, or check that its driver is loaded (dmesg, lsmod)."
                : "No video capture devices found (the /dev/video* nodes above are not capture nodes).");
        }

        return captures;
    }

    private static bool WriteDevice(IV4l2Device device, TextWriter output)
    {
        var description = V4l2Enumeration.Describe(device);
        if (!description.IsStreamingCapture)
        {
            output.WriteLine($"{device.Path}: {description.Driver} \"{description.Card}\" ({description.BusInfo}) - not a capture node, skipped");
            return false;
        }

        output.WriteLine($"{device.Path}: {description.Card}");
        output.WriteLine($"  driver: {description.Driver}, bus: {description.BusInfo}, {(description.IsMultiplanar ? "multi-planar" : "single-planar")}");
        foreach (var format in V4l2Enumeration.Formats(device, description.BufferType))
        {
            var supported = V4l2PixelFormatMap.TryMap(format.PixelFormat, out var mapped) ? $"-> {mapped}" : "(not supported by camstreamd)";
            output.WriteLine($"  {format.FourCc} {format.Description} {supported}");
            var shown = 0;
            foreach (var size in format.Sizes)
            {
                if (shown++ == MaxSizesPerFormat)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    ... and {format.Sizes.Count - MaxSizesPerFormat} more sizes"));
                    break;
                }

                // For ranges, the rates of the largest size are shown.
                var (width, height) = size.IsDiscrete ? (size.MinWidth, size.MinHeight) : (size.MaxWidth, size.MaxHeight);
                var rates = V4l2Enumeration.FrameRates(device, format.PixelFormat, width, height);
                var rateText = rates.Count == 0 ? "rate not listed" : string.Join(", ", rates.Select(V4l2Negotiator.Rate)) + " fps";
                output.WriteLine($"    {size}: {rateText}");
            }
        }

        return true;
    }
}
