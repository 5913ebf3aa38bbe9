using System.Globalization;

namespace CamStreamd.Configuration;

/// <summary>Checks a stream's outputs beyond RTSP and HTTP: <c>publish</c> targets and <c>record</c>.</summary>
internal static class OutputOptionsValidator
{
    /// <summary>The URL schemes a publish target may use.</summary>
    public static readonly string[] PublishSchemes = ["rtsp", "rtsps", "rtmp", "srt"];

    /// <summary>Most publish targets per stream (each holds a queue and a connection).</summary>
    public const int MaxPublishTargets = 16;

    /// <summary>Adds the problems of <paramref name="stream"/>'s <c>publish</c> and <c>record</c> to <paramref name="errors"/>.</summary>
    public static void Validate(List<string> errors, string key, StreamOptions stream)
    {
        if (stream.Publish is { } publish)
        {
            ValidatePublish(errors, $"{key}.publish", publish);
        }

        if (stream.Record is { } record)
        {
            ValidateRecord(errors, $"{key}.record", record);
        }
    }

    private static void ValidatePublish(List<string> errors, string key, PublishTargetList targets)
    {
        if (targets.Count > MaxPublishTargets)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: at most {MaxPublishTargets} targets (got {targets.Count})"));
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            var itemKey = $"{key}[{i}]";
            var target = targets[i];
            if (target is null)
            {
                errors.Add($"{itemKey}: must not be null");
                continue;
            }

            var shown = Quote(ConfigRedactor.RedactUrl(target.Url));
            if (string.IsNullOrEmpty(target.Url))
            {
                errors.Add($"{itemKey}.url: required (rtsp://, rtsps://, rtmp:// or srt://)");
            }
            else if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || url.Host.Length == 0)
            {
                errors.Add($"{itemKey}.url: must be an absolute URL with a host (got {shown})");
            }
            else if (!PublishSchemes.Contains(url.Scheme, StringComparer.Ordinal))
            {
                errors.Add($"{itemKey}.url: unsupported scheme \"{url.Scheme}\"; use rtsp://, rtsps://, rtmp:// or srt:// (got {shown})");
            }
            else
            {
                if (url.Scheme is "rtmp" or "srt" && target.Transport != "tcp")
                {
                    errors.Add($"{itemKey}.transport: only for rtsp:// targets (rtmp:// runs over TCP, srt:// over UDP; got \"{target.Transport}\")");
                }

                if (!seen.TryAdd(target.Url, i))
                {
                    errors.Add($"{itemKey}.url: duplicate target (same as {key}[{seen[target.Url]}].url)");
                }
            }

            if (target.Transport is not ("tcp" or "udp"))
            {
                errors.Add($"{itemKey}.transport: must be one of tcp, udp (got {Quote(target.Transport)})");
            }

            if (target.Username is { } user && (user.Length == 0 || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl)))
            {
                errors.Add($"{itemKey}.username: must be non-empty, without ':' or control characters");
            }

            if (target.Password is not null && target.Username is null && !HasUserInfo(target.Url))
            {
                errors.Add($"{itemKey}.password: given without a username (set username, or user:password@ in the URL)");
            }
        }
    }

    private static void ValidateRecord(List<string> errors, string key, RecordOptions record)
    {
        if (string.IsNullOrEmpty(record.Path) || !record.Path.StartsWith('/') || record.Path.Any(char.IsControl))
        {
            errors.Add($"{key}.path: must be an absolute directory path (got {Quote(record.Path)})");
        }

        if (record.SegmentSeconds is < 1 or > 86_400)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.segmentSeconds: must be between 1 and 86400 (got {record.SegmentSeconds})"));
        }

        if (!(record.PartSeconds >= 0.1 && record.PartSeconds <= 60))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.partSeconds: must be between 0.1 and 60 (got {record.PartSeconds})"));
        }
        else if (record.PartSeconds > record.SegmentSeconds)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.partSeconds: must not exceed segmentSeconds ({record.SegmentSeconds}) (got {record.PartSeconds})"));
        }

        if (record.RetentionSeconds is < 0 or > 10L * 365 * 86_400)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.retentionSeconds: must be between 0 (keep everything) and 315360000 (got {record.RetentionSeconds})"));
        }
        else if (record.RetentionSeconds > 0 && record.RetentionSeconds < record.SegmentSeconds)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.retentionSeconds: must be 0 or at least segmentSeconds ({record.SegmentSeconds}) (got {record.RetentionSeconds})"));
        }

        if (record.MinFreeMegabytes is < 0 or > 1_048_576)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.minFreeMegabytes: must be between 0 and 1048576 (got {record.MinFreeMegabytes})"));
        }
    }

    private static bool HasUserInfo(string? url) => Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.UserInfo.Length > 0;

    private static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";
}
