using System.Text.RegularExpressions;

namespace CamStreamd.Tests.Architecture;

/// <summary>
/// Reads which of the daemon's top-level folders each folder uses: every <c>using CamStreamd.X</c>
/// line (also <c>using static</c> and aliases) and every fully qualified <c>CamStreamd.X.</c> name
/// in code, with the file and line it came from. Sub-namespaces count as their top folder
/// (<c>Rtsp.Client</c> is <c>Rtsp</c>, <c>Interop.V4l2</c> is <c>Interop</c>).
/// </summary>
internal static partial class FolderDependencyScanner
{
    /// <summary>The folder a file at <paramref name="relativePath"/> belongs to; files at the root belong to <c>(root)</c>.</summary>
    public static string FolderOf(string relativePath)
    {
        var slash = relativePath.IndexOfAny(['/', '\\']);
        return slash < 0 ? RootFolder : relativePath[..slash];
    }

    /// <summary>The name given to files directly under the source root (Program.cs).</summary>
    public const string RootFolder = "(root)";

    /// <summary>Every folder-to-folder use under <paramref name="sourceRoot"/> (a folder's use of itself left out).</summary>
    public static IReadOnlyList<FolderEdge> Scan(string sourceRoot)
    {
        var edges = new List<FolderEdge>();
        foreach (var file in Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(sourceRoot, file);
            var from = FolderOf(relative);
            if (from is "bin" or "obj")
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("namespace ", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match match in Reference().Matches(line))
                {
                    var to = match.Groups["folder"].Value;
                    if (to != from)
                    {
                        edges.Add(new FolderEdge(from, to, $"{relative}:{i + 1}"));
                    }
                }
            }
        }

        return edges;
    }

    // "using CamStreamd.Http;", "using static CamStreamd.Rtp.X;", "using A = CamStreamd.Media.B;",
    // and a qualified name in code ("CamStreamd.Hosting.StreamSupervisor"). "CamStreamd.Tests" is not ours to check.
    [GeneratedRegex(@"(?<![\w.])(?:global::)?CamStreamd\.(?<folder>(?!Tests\b)[A-Z]\w*)\b(?=\s*[.;])")]
    private static partial Regex Reference();
}
