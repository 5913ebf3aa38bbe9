namespace CamStreamd.Configuration;

/// <summary>
/// Lists settings that are valid but not supported yet, each naming its key and what happens
/// instead. The fallbacks themselves (test pattern, x264) are decided by the pipeline; this only words them.
/// </summary>
internal static class ConfigNoticeBuilder
{
    /// <summary>Notices for <paramref name="options"/>; <paramref name="httpSectionPresent"/> is whether the file has an <c>http</c> key.</summary>
    public static IReadOnlyList<ConfigNotice> Build(CamStreamdOptions options, bool httpSectionPresent)
    {
        var notices = new List<ConfigNotice>();
        if (options.Rtsp.Multicast.Enabled)
        {
            notices.Add(new("rtsp.multicast.enabled", "multicast is not supported yet; clients get unicast UDP or TCP interleaved"));
        }

        if (options.Rtsp.Auth.Mode != AuthModes.None)
        {
            notices.Add(new("rtsp.auth.mode", $"\"{options.Rtsp.Auth.Mode}\" authentication is not supported yet; the RTSP server accepts every client without credentials"));
        }

        if (httpSectionPresent)
        {
            notices.Add(new("http", "the HTTP server (web page, API, MJPEG, metrics) does not exist yet; the section is checked and otherwise ignored"));
        }

        if (options.Gpio.PhyReset is not null)
        {
            notices.Add(new("gpio.phyReset", "PHY reset is not supported yet; the GPIO line is not touched"));
        }

        for (var i = 0; i < options.Streams.Count; i++)
        {
            var stream = options.Streams[i];
            var source = stream.Source;
            if (source.Type is not (SourceTypes.TestPattern or SourceTypes.V4l2))
            {
                notices.Add(new(
                    $"streams[{i}].source.type",
                    FormattableString.Invariant($"source type \"{source.Type}\" is not supported yet; stream \"{stream.Name}\" shows the test pattern ({source.Width}x{source.Height} at {source.Fps} fps) instead")));
            }

            var engine = stream.Encoder.Engine;
            if (engine is not (EncoderEngines.Auto or EncoderEngines.X264))
            {
                notices.Add(new($"streams[{i}].encoder.engine", $"engine \"{engine}\" is not supported yet; stream \"{stream.Name}\" is encoded with x264 instead"));
            }
        }

        return notices;
    }
}
