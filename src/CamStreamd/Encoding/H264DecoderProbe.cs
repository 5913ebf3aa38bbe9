namespace CamStreamd.Encoding;

/// <summary>
/// Which H.264 decoder an input gets, probed like the encoders: Rockchip MPP (<c>h264_rkmpp</c>,
/// needs <c>/dev/mpp_service</c>), a V4L2 memory-to-memory decoder (<c>h264_v4l2m2m</c>, needs a
/// <c>/dev/video*</c> node), then libavcodec's software <c>h264</c>, which is always the last resort.
/// A candidate is skipped when its codec is not in the loaded FFmpeg or its device is missing, and
/// when it fails to open; every skip is kept with its reason (logged, and shown by the API).
/// </summary>
internal static class H264DecoderProbe
{
    /// <summary>The software decoder's engine name.</summary>
    public const string Software = "software";

    /// <summary>The order tried.</summary>
    public static IReadOnlyList<H264DecoderCandidate> Order { get; } =
    [
        new("rkmpp", "h264_rkmpp", "/dev/mpp_service"),
        new("v4l2m2m", "h264_v4l2m2m", "/dev/video*"),
        new(Software, "h264", null),
    ];

    /// <summary>
    /// Opens the first usable candidate of <see cref="Order"/> (only the software one when
    /// <paramref name="softwareOnly"/>): <paramref name="codecExists"/> and
    /// <paramref name="deviceExists"/> filter, <paramref name="open"/> opens (and throws on failure).
    /// Each skipped candidate is added to <paramref name="skipped"/> as "engine: reason".
    /// </summary>
    /// <exception cref="InvalidOperationException">Not even the software decoder opened.</exception>
    public static T Open<T>(Func<string, bool> codecExists, Func<string, bool> deviceExists, Func<H264DecoderCandidate, T> open, List<string> skipped, bool softwareOnly = false)
    {
        ArgumentNullException.ThrowIfNull(codecExists);
        ArgumentNullException.ThrowIfNull(deviceExists);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(skipped);
        foreach (var candidate in Order)
        {
            if (softwareOnly && candidate.Engine != Software)
            {
                continue;
            }

            if (!codecExists(candidate.Codec))
            {
                skipped.Add($"{candidate.Engine}: codec {candidate.Codec} is not in this FFmpeg build");
                continue;
            }

            if (candidate.Device is { } device && !deviceExists(device))
            {
                skipped.Add($"{candidate.Engine}: device {device} missing");
                continue;
            }

            try
            {
                return open(candidate);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                skipped.Add($"{candidate.Engine}: open failed: {e.Message}");
            }
        }

        throw new InvalidOperationException("no H.264 decoder could be opened: " + string.Join("; ", skipped));
    }

    /// <summary>True when <paramref name="device"/> exists; a path ending in <c>*</c> matches any node with that prefix.</summary>
    public static bool DeviceExists(string device)
    {
        if (!device.EndsWith('*'))
        {
            return File.Exists(device) || Directory.Exists(device);
        }

        var directory = Path.GetDirectoryName(device) ?? "/";
        try
        {
            return Directory.EnumerateFileSystemEntries(directory, Path.GetFileName(device)).Any();
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
