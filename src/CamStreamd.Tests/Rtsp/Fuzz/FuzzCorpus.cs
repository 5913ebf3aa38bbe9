namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// The committed regression corpus: Corpus/&lt;target&gt;/*.bin (raw bytes), copied beside the test
/// assembly. Every file is an input that once broke something (or sat on a limit's edge) and is
/// replayed on every run.
/// </summary>
internal static class FuzzCorpus
{
    /// <summary>The corpus root in the test output.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Rtsp", "Fuzz", "Corpus");

    /// <summary>The corpus files of <paramref name="target"/>, by name (none when the folder is absent).</summary>
    public static IReadOnlyList<(string Name, byte[] Data)> Load(string target)
    {
        var folder = Path.Combine(Root, target);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder, "*.bin").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f)))];
    }
}
