using System.Globalization;

namespace CamStreamd.Recording;

/// <summary>
/// The segment files of one stream: <c>{path}/{stream}/{UTC start as yyyy-MM-ddTHH-mm-ss}.mp4</c>
/// (a second segment started in the same second gets <c>-1</c>, <c>-2</c>, … before the extension).
/// Lists, names, and deletes them; a file name from a request is accepted only when it has exactly
/// this form, so it can never leave the directory.
/// </summary>
public sealed class SegmentStore
{
    /// <summary>The UTC start format of a segment's name.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH-mm-ss";

    private const string Extension = ".mp4";

    /// <summary>Creates the store of <paramref name="stream"/> under <paramref name="root"/>.</summary>
    public SegmentStore(string root, string stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        Directory = System.IO.Path.Combine(root, stream);
    }

    /// <summary>The stream's directory.</summary>
    public string Directory { get; }

    /// <summary>The start time a valid segment name encodes, or null for any other name.</summary>
    public static DateTimeOffset? ParseName(string? file)
    {
        if (file is null || !file.EndsWith(Extension, StringComparison.Ordinal) || file.Length < TimeFormat.Length - 2 + Extension.Length)
        {
            return null;
        }

        var stem = file[..^Extension.Length];
        var time = stem.Length > 19 ? stem[..19] : stem;
        var suffix = stem[time.Length..];
        if (suffix.Length > 0 && (suffix[0] != '-' || suffix.Length > 4 || !suffix[1..].All(char.IsAsciiDigit) || suffix.Length == 1))
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(time, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? start
            : null;
    }

    /// <summary>A new file name for a segment starting at <paramref name="start"/> that does not exist yet.</summary>
    public string NewPath(DateTimeOffset start)
    {
        var stem = start.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var path = System.IO.Path.Combine(Directory, stem + Extension);
        for (var i = 1; File.Exists(path) && i < 1000; i++)
        {
            path = System.IO.Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{stem}-{i}{Extension}"));
        }

        return path;
    }

    /// <summary>Every segment, oldest first; <paramref name="current"/> (the file being written) is marked.</summary>
    public IReadOnlyList<SegmentInfo> List(string? current = null)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var segments = new List<SegmentInfo>();
        foreach (var info in new DirectoryInfo(Directory).EnumerateFiles("*" + Extension))
        {
            if (ParseName(info.Name) is not { } start)
            {
                continue;
            }

            var duration = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) - start;
            segments.Add(new SegmentInfo(info.Name, info.FullName, start, duration < TimeSpan.Zero ? TimeSpan.Zero : duration, info.Length, info.FullName == current));
        }

        segments.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.File, b.File));
        return segments;
    }

    /// <summary>The full path of segment <paramref name="file"/> when the name is valid and it exists, else null.</summary>
    public string? Find(string? file)
    {
        if (ParseName(file) is null)
        {
            return null;
        }

        var path = System.IO.Path.Combine(Directory, file!);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Deletes segment <paramref name="file"/>; false when the name is invalid or it does not exist.</summary>
    public bool Delete(string file)
    {
        var path = Find(file);
        if (path is null)
        {
            return false;
        }

        File.Delete(path);
        return true;
    }
}
