namespace CamStreamd.Configuration;

/// <summary>
/// Lists settings that are valid but not supported yet, each naming its key and what happens
/// instead. The fallbacks themselves (test pattern, x264) are decided by the pipeline; this only words them.
/// </summary>
internal static class ConfigNoticeBuilder
{
    /// <summary>Notices for <paramref name="options"/>.</summary>
    public static IReadOnlyList<ConfigNotice> Build(CamStreamdOptions options)
    {
        var notices = new List<ConfigNotice>();
        for (var i = 0; i < options.Streams.Count; i++)
        {
            var stream = options.Streams[i];
            var source = stream.Source;
            if (source.Type is not (SourceTypes.TestPattern or SourceTypes.V4l2 or SourceTypes.Rtsp or SourceTypes.Composite))
            {
                notices.Add(new(
                    $"streams[{i}].source.type",
                    FormattableString.Invariant($"source type \"{source.Type}\" is not supported yet; stream \"{stream.Name}\" shows the test pattern ({source.Width}x{source.Height} at {source.Fps} fps) instead")));
            }
        }

        return notices;
    }
}
