namespace CamStreamd.Tests.Architecture;

/// <summary>
/// Dependencies between the daemon's folders point one way (docs/ARCHITECTURE.md): Hosting and
/// Http use Streams; Streams assembles sources, encoders and outputs; outputs use Rtp and Media;
/// Interop uses no folder of ours. A new edge is a design decision: add its line here with the reason.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>Every edge the layout allows, one line each: from, to.</summary>
    private static readonly (string From, string To)[] AllowedEdges =
    [
        // Program.cs wires the host.
        (FolderDependencyScanner.RootFolder, "Hosting"),

        // Process lifetime: builds the host and registers every service.
        ("Hosting", "Streams"),
        ("Hosting", "Http"),
        ("Hosting", "Rtsp"),
        ("Hosting", "Gpio"),
        ("Hosting", "Configuration"),
        ("Hosting", "Media"),
        ("Hosting", "Interop"), // sd_notify socket, SIGHUP

        // The HTTP server: API, MJPEG, metrics over the streams the control plane runs.
        ("Http", "Streams"),
        ("Http", "Configuration"),
        ("Http", "Encoding"), // JPEG encoder of the MJPEG output
        ("Http", "Media"),
        ("Http", "Rtsp"), // RTSP URLs and client counts in the API

        // The control plane: assembles source -> encoder -> hub and supervises it.
        ("Streams", "Capture"),
        ("Streams", "Encoding"),
        ("Streams", "Configuration"),
        ("Streams", "Media"),
        ("Streams", "Rtp"),
        ("Streams", "Rtsp"), // the pull client's options
        ("Streams", "Publish"), // a stream's publish targets
        ("Streams", "Recording"), // a stream's recorder

        // Sources.
        ("Capture", "Configuration"),
        ("Capture", "Interop"), // V4L2
        ("Capture", "Media"),
        ("Capture", "Rtp"), // depacketizer of the RTSP pull
        ("Capture", "Rtsp"), // the RTSP client of the pull source
        ("Capture", "Encoding"), // the composite decodes its H.264 inputs and scales them into its canvas

        // Encoders and decoders.
        ("Encoding", "Configuration"),
        ("Encoding", "Interop"), // FFmpeg, libx264
        ("Encoding", "Media"),

        // Outputs and the RTSP client.
        ("Rtsp", "Configuration"),
        ("Rtsp", "Interop"), // sendmmsg
        ("Rtsp", "Media"),
        ("Rtsp", "Rtp"),

        // Publishers to upstream servers: RTSP RECORD through the RTSP client and wire code, RTMP/SRT through libavformat.
        ("Publish", "Configuration"),
        ("Publish", "Media"),
        ("Publish", "Rtsp"), // the client connection, SDP, Transport, auth
        ("Publish", "Interop"), // libavformat (RTMP, SRT)

        // The recorder: fragmented MP4 segments through libavformat, retention, free-space floor.
        ("Recording", "Configuration"),
        ("Recording", "Media"),
        ("Recording", "Interop"), // libavformat, statvfs

        // The API shows publish targets and serves recordings.
        ("Http", "Publish"),
        ("Http", "Recording"),

        // WebRTC: ICE-lite and SDP (the plane), DTLS-SRTP (BouncyCastle), our SRTP/SRTCP, the per-stream media feed over the hub.
        ("WebRtc", "Configuration"), // the webrtc options
        ("WebRtc", "Media"), // hub subscription, access units, keyframe requests, viewer leases, the connection budget
        ("WebRtc", "Rtp"), // the H.264 packetizer of the feed, RTCP SR/RR/PLI wire code
        ("WebRtc", "Interop"), // sendmmsg: a session's packets of a frame in one system call
        ("Http", "WebRtc"), // the WHEP endpoints, sessions in the API and metrics
        ("Hosting", "WebRtc"), // the plane's hosted service

        // Wire formats and the media core.
        ("Rtp", "Media"),
        ("Rtp", "Interop"), // getrandom for SSRC and first sequence number (RandomNumberGenerator would load OpenSSL)
        ("Gpio", "Configuration"),
        ("Gpio", "Interop"), // GPIO uAPI v2
    ];

    /// <summary>Folders that use none of ours.</summary>
    private static readonly string[] Leaves = ["Configuration", "Media", "Interop"];

    private static string SourceRoot => Path.Combine(CLayoutProbe.RepositoryRoot, "src", "CamStreamd");

    [Fact]
    public void Every_folder_uses_only_allowed_folders()
    {
        var violations = Violations(FolderDependencyScanner.Scan(SourceRoot));
        Assert.True(violations.Count == 0, "Folder edges against the allowed direction (docs/ARCHITECTURE.md):\n" + string.Join('\n', violations));
    }

    [Fact]
    public void Every_folder_is_in_the_table()
    {
        var known = AllowedEdges.SelectMany(e => new[] { e.From, e.To }).Concat(Leaves).ToHashSet(StringComparer.Ordinal);
        var unknown = Directory.EnumerateDirectories(SourceRoot)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj") && !known.Contains(name!))
            .ToList();
        Assert.True(unknown.Count == 0, "Folders with no line in the allowed edges: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_allowed_edges_have_no_cycle()
    {
        var graph = AllowedEdges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var done = new HashSet<string>();
        var path = new List<string>();

        void Visit(string folder)
        {
            var at = path.IndexOf(folder);
            Assert.True(at < 0, "Cycle in the allowed edges: " + string.Join(" -> ", path.Skip(at).Append(folder)));
            if (!done.Add(folder))
            {
                return;
            }

            path.Add(folder);
            foreach (var next in graph.GetValueOrDefault(folder) ?? [])
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
        }

        foreach (var folder in graph.Keys)
        {
            Visit(folder);
        }

        Assert.All(Leaves, leaf => Assert.False(graph.ContainsKey(leaf), $"{leaf} is a leaf but has edges"));
    }

    [Fact]
    public void The_scanner_reports_the_cycle_the_old_layout_had()
    {
        // The layout before Streams/ existed: Http used Hosting's supervisor, Hosting registered Http.
        var root = Directory.CreateTempSubdirectory("camstreamd-arch-").FullName;
        try
        {
            Write(root, "Http/ApiEndpoints.cs", "using CamStreamd.Hosting;\nnamespace CamStreamd.Http;\n");
            Write(root, "Hosting/DaemonServices.cs", "using CamStreamd.Http;\nnamespace CamStreamd.Hosting;\n");
            Write(root, "Interop/V4l2/V4l2PixelFormats.cs", "namespace CamStreamd.Interop.V4l2;\nclass X { CamStreamd.Media.VideoPixelFormat F; }\n");
            Write(root, "Rtsp/RtspServer.cs", "using static CamStreamd.Rtp.RtpPacket;\nusing CamStreamd.Rtsp.Protocol;\nnamespace CamStreamd.Rtsp;\n");

            var violations = Violations(FolderDependencyScanner.Scan(root));

            Assert.Equal(["Http -> Hosting (Http/ApiEndpoints.cs:1)", "Interop -> Media (Interop/V4l2/V4l2PixelFormats.cs:2)"], violations);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static List<string> Violations(IEnumerable<FolderEdge> edges)
    {
        var allowed = AllowedEdges.ToHashSet();
        return edges
            .Where(e => !allowed.Contains((e.From, e.To)))
            .Select(e => $"{e.From} -> {e.To} ({e.Where.Replace('\\', '/')})")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
