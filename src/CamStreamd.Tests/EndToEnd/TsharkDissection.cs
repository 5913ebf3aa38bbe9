using System.Globalization;
using System.Xml.Linq;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// Reads a capture of one RTSP session back through tshark (Wireshark's dissectors) and reports
/// what they flag: malformed packets and expert infos of severity warning or error.
/// </summary>
internal sealed class TsharkDissection
{
    private const string Tshark = "/usr/bin/tshark";

    // Expert info severities as tshark prints _ws.expert.severity (epan/proto.h PI_WARN, PI_ERROR).
    private const long SeverityWarning = 0x00600000;

    // Expert info groups (epan/proto.h PI_SEQUENCE, PI_UNDECODED).
    private const long GroupSequence = 0x02000000;
    private const long GroupUndecoded = 0x05000000;

    private readonly string _pcapPath;
    private readonly int _rtspPort;
    private readonly string[] _decodeAs;

    /// <param name="pcapPath">The capture.</param>
    /// <param name="rtspPort">The daemon's RTSP port, not 554, so tshark is told it is RTSP.</param>
    /// <param name="decodeAs">More "-d" rules (e.g. <c>udp.port==5005,rtcp</c> for a multicast group's RTCP).</param>
    public TsharkDissection(string pcapPath, int rtspPort, params string[] decodeAs)
    {
        _pcapPath = pcapPath;
        _rtspPort = rtspPort;
        _decodeAs = decodeAs;
    }

    /// <summary>
    /// Every warning/error expert info (malformed marks included), one line each ("frame N,
    /// PROTOCOL: message [expert field]"), except the tshark quirks and TCP-stack behaviour
    /// explained at <see cref="IsExplained"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnexplainedFindingsAsync()
    {
        const char Aggregator = '|';
        var lines = await FieldsAsync(
            "_ws.malformed || _ws.expert.severity >= warning",
            ["frame.number", "_ws.col.Protocol", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group"],
            Aggregator);
        var findings = new List<string>();
        var framesToExamine = new List<(int Frame, string Protocol)>();
        foreach (var line in lines)
        {
            var columns = line.Split('\t');
            var frame = int.Parse(columns[0], CultureInfo.InvariantCulture);
            var messages = columns[2].Split(Aggregator);
            var severities = columns[3].Split(Aggregator);
            var groups = columns[4].Split(Aggregator);
            var onlyUndecoded = true;
            for (var i = 0; i < messages.Length; i++)
            {
                // Chats and notes (SYN, FIN, a retransmission) are fine; tshark marks each H.264
                // slice "[Not decoded yet]" (group Undecoded) because it does not parse slice data.
                onlyUndecoded &= long.Parse(severities[i], CultureInfo.InvariantCulture) < SeverityWarning
                    || (messages[i] == "[Not decoded yet]" && long.Parse(groups[i], CultureInfo.InvariantCulture) == GroupUndecoded);
            }

            if (!onlyUndecoded)
            {
                framesToExamine.Add((frame, columns[1]));
            }
        }

        // Each remaining frame is examined in tshark's full tree (PDML), where an expert info's
        // first child names it (tcp.connection.rst, _ws.malformed.expert, ...) and sits where it
        // was raised. A real bug may flag every packet: 20 frames are enough to describe it.
        foreach (var (frame, protocol) in framesToExamine.Take(20))
        {
            var pdml = await RunAsync([.. DecodeArguments(), "-Y", $"frame.number == {frame.ToString(CultureInfo.InvariantCulture)}", "-T", "pdml"]);
            var packet = XDocument.Parse(pdml.StandardOutput).Descendants("packet").Single();
            foreach (var expert in packet.Descendants("field").Where(f => Name(f) == "_ws.expert"))
            {
                var severity = long.Parse(Show(expert, "_ws.expert.severity"), CultureInfo.InvariantCulture);
                var abbrev = expert.Elements("field").Select(Name).FirstOrDefault() ?? string.Empty;
                if (severity >= SeverityWarning && !IsExplained(packet, expert, abbrev))
                {
                    findings.Add($"frame {frame}, {protocol}: {Show(expert, "_ws.expert.message")} [{abbrev}, severity 0x{severity:x}]");
                }
            }
        }

        if (framesToExamine.Count > 20)
        {
            findings.Add($"... and {framesToExamine.Count - 20} more flagged frames");
        }

        return findings;
    }

    /// <summary>The values of <paramref name="fields"/>, tab-separated, of each packet matching <paramref name="displayFilter"/>.</summary>
    public async Task<IReadOnlyList<string>> FieldsAsync(string displayFilter, IReadOnlyList<string> fields, char aggregator = ',')
    {
        List<string> arguments = [.. DecodeArguments(), "-Y", displayFilter, "-T", "fields", "-E", "occurrence=a", "-E", $"aggregator={aggregator}"];
        foreach (var field in fields)
        {
            arguments.Add("-e");
            arguments.Add(field);
        }

        var result = await RunAsync(arguments);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private string[] DecodeArguments() =>
    [
        .. _decodeAs.SelectMany(rule => (string[])["-d", rule]),
        "-r", _pcapPath, "-n",
        // The daemon listens on a free port, not 554: dissect it as RTSP. The RTSP dissector then
        // follows SETUP's Transport header by itself (UDP ports, or interleaved channels on TCP).
        "-d", $"tcp.port=={_rtspPort.ToString(CultureInfo.InvariantCulture)},rtsp",
        // Dynamic payload type 96 as H.264 (RFC 6184), so single NAL units, STAP-A and FU-A are checked too.
        "-d", "rtp.pt==96,h264",
    ];

    private static async Task<PeerProcess.Result> RunAsync(IEnumerable<string> arguments)
    {
        if (!File.Exists(Tshark))
        {
            throw new InvalidOperationException($"{Tshark} is missing: install the Debian package tshark");
        }

        var result = await PeerProcess.RunAsync(Tshark, arguments, TimeSpan.FromSeconds(60), "tshark");
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException($"tshark failed (exit {result.ExitCode}, timed out {result.TimedOut}): {result.StandardError}");
        }

        return result;
    }

    /// <summary>
    /// What tshark 4.0 flags in a correct session, each recognised precisely:
    /// <list type="bullet">
    /// <item>h264.undecoded, "[Not decoded yet]" on every H.264 slice: tshark does not dissect
    /// slice data and says so with a warning.</item>
    /// <item>TCP's own analysis (group Sequence: tcp.analysis.*, tcp.options.sack.dsack, and a RST
    /// from the client's port): this is the kernels' TCP, not bytes the daemon wrote. Seen here:
    /// ffmpeg sends TEARDOWN and closes its socket without reading the reply, so its kernel
    /// answers the reply with RST; when the daemon's kernel acks the client's FIN a few ms late on
    /// a busy machine, the client's tail-loss probe resends the FIN and the daemon's kernel
    /// answers with a D-SACK. A RST sent from the daemon's port is NOT explained: it would mean
    /// the daemon aborted a connection or closed it with unread data.</item>
    /// <item>_ws.malformed.expert inside SDP's sprop-parameter-sets (RFC 6184 §8.1): tshark's SDP
    /// dissector hands the base64-decoded SPS to the H.264 NAL dissector without removing the
    /// emulation-prevention bytes (00 00 03, H.264 §7.4.1), so it reads the VUI timing fields
    /// wrongly (num_units_in_tick 192 instead of 1) and runs off the end of the SPS. The same SPS
    /// bytes sent in-band over RTP dissect cleanly (num_units_in_tick 1, time_scale 60), and ffmpeg
    /// and GStreamer decode with them. Explained only when the malformed mark sits under a
    /// sprop-parameter-sets parameter whose NAL unit contains 00 00 03.</item>
    /// </list>
    /// </summary>
    private bool IsExplained(XElement packet, XElement expert, string abbrev)
    {
        if (abbrev == "h264.undecoded")
        {
            return true;
        }

        if (abbrev == "tcp.connection.rst")
        {
            var sourcePort = packet.Descendants("field").FirstOrDefault(f => Name(f) == "tcp.srcport");
            return sourcePort is not null && (string?)sourcePort.Attribute("show") != _rtspPort.ToString(CultureInfo.InvariantCulture);
        }

        if ((abbrev.StartsWith("tcp.analysis.", StringComparison.Ordinal) || abbrev == "tcp.options.sack.dsack")
            && long.Parse(Show(expert, "_ws.expert.group"), CultureInfo.InvariantCulture) == GroupSequence)
        {
            return true;
        }

        return abbrev == "_ws.malformed.expert" && IsUnderEscapedSprop(expert);
    }

    private static bool IsUnderEscapedSprop(XElement malformed) =>
        malformed.Ancestors("field").Any(parameter =>
            Name(parameter) == "sdp.fmtp.parameter"
            && ((string?)parameter.Attribute("show"))?.StartsWith("sprop-parameter-sets=", StringComparison.Ordinal) == true
            && parameter.Descendants("field").Any(nal =>
                Name(nal) == "h264.nal_unit"
                && ((string?)nal.Attribute("show"))?.Contains("00:00:03", StringComparison.Ordinal) == true));

    private static string Name(XElement element) => (string?)element.Attribute("name") ?? string.Empty;

    private static string Show(XElement expert, string field) =>
        expert.Elements("field").Where(f => Name(f) == field).Select(f => (string?)f.Attribute("show")).FirstOrDefault() ?? "0";
}
