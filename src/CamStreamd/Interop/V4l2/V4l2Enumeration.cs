using System.Text;

namespace CamStreamd.Interop.V4l2;

/// <summary>Reads a node's identity, formats, sizes and frame intervals through <see cref="IV4l2Device"/>.</summary>
public static class V4l2Enumeration
{
    /// <summary>Lists are cut here so a buggy driver cannot loop forever.</summary>
    private const uint MaxEntries = 256;

    /// <summary>VIDIOC_QUERYCAP, decoded.</summary>
    public static unsafe V4l2DeviceDescription Describe(IV4l2Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var cap = device.QueryCapability();
        var caps = (cap.Capabilities & V4l2Constants.CapDeviceCaps) != 0 ? cap.DeviceCaps : cap.Capabilities;
        return new V4l2DeviceDescription(CString(cap.Driver, 16), CString(cap.Card, 32), CString(cap.BusInfo, 32), caps);
    }

    /// <summary>Every format of <paramref name="bufferType"/> with its frame sizes.</summary>
    public static unsafe IReadOnlyList<V4l2FormatInfo> Formats(IV4l2Device device, uint bufferType)
    {
        ArgumentNullException.ThrowIfNull(device);
        var formats = new List<V4l2FormatInfo>();
        for (uint i = 0; i < MaxEntries; i++)
        {
            var desc = new V4l2FmtDesc { Index = i, Type = bufferType };
            if (!device.EnumFormat(ref desc))
            {
                break;
            }

            formats.Add(new V4l2FormatInfo(desc.PixelFormat, CString(desc.Description, 32), (desc.Flags & V4l2Constants.FmtFlagCompressed) != 0, Sizes(device, desc.PixelFormat)));
        }

        return formats;
    }

    /// <summary>The frame sizes of <paramref name="pixelFormat"/>.</summary>
    public static IReadOnlyList<V4l2FrameSizeRange> Sizes(IV4l2Device device, uint pixelFormat)
    {
        ArgumentNullException.ThrowIfNull(device);
        var sizes = new List<V4l2FrameSizeRange>();
        for (uint i = 0; i < MaxEntries; i++)
        {
            var entry = new V4l2FrameSizeEntry { Index = i, PixelFormat = pixelFormat };
            if (!device.EnumFrameSizes(ref entry))
            {
                break;
            }

            if (entry.Type == V4l2Constants.FrmTypeDiscrete)
            {
                sizes.Add(V4l2FrameSizeRange.Discrete((int)entry.Width, (int)entry.Height));
                continue;
            }

            var continuous = entry.Type == V4l2Constants.FrmTypeContinuous;
            sizes.Add(new V4l2FrameSizeRange(
                (int)entry.MinWidth,
                (int)entry.MaxWidth,
                continuous ? 1 : (int)Math.Max(1, entry.StepWidth),
                (int)entry.MinHeight,
                (int)entry.MaxHeight,
                continuous ? 1 : (int)Math.Max(1, entry.StepHeight)));
            break; // Stepwise and continuous have exactly one entry.
        }

        return sizes;
    }

    /// <summary>
    /// Frame rates offered for one format and size, highest first: each discrete interval, or for
    /// a stepwise range its maximum and minimum rate.
    /// </summary>
    public static IReadOnlyList<double> FrameRates(IV4l2Device device, uint pixelFormat, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(device);
        var rates = new List<double>();
        for (uint i = 0; i < MaxEntries; i++)
        {
            var entry = new V4l2FrameIntervalEntry { Index = i, PixelFormat = pixelFormat, Width = (uint)width, Height = (uint)height };
            if (!device.EnumFrameIntervals(ref entry))
            {
                break;
            }

            if (entry.Type == V4l2Constants.FrmTypeDiscrete)
            {
                AddRate(rates, entry.Discrete.FramesPerSecond);
                continue;
            }

            // Stepwise: the shortest interval (min) is the highest rate.
            AddRate(rates, entry.Discrete.FramesPerSecond);
            AddRate(rates, entry.Max.FramesPerSecond);
            break;
        }

        rates.Sort((a, b) => b.CompareTo(a));
        return rates;
    }

    private static void AddRate(List<double> rates, double rate)
    {
        if (rate > 0 && !rates.Contains(rate))
        {
            rates.Add(rate);
        }
    }

    private static unsafe string CString(byte* bytes, int capacity)
    {
        var span = new ReadOnlySpan<byte>(bytes, capacity);
        var end = span.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]).Trim();
    }
}
