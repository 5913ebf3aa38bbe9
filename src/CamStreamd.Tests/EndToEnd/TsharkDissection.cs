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

    // Expert info group "Undecoded" (epan/proto.h PI_UNDECODED).
    private const long GroupUndecoded = 0x05000000;

    private readonly string _pcapPath;
    private readonly int _rtspPort;

    /// <param name="pcapPath">The capture.</param>
    /// <param name="rtspPort">The daemon's RTSP port, not 554, so tshark is told it is RTSP.</param>
    public TsharkDissection(string pcapPath, int rtspPort)
    {
        _pcapPath = pcapPath;
        _rtspPort = rtspPort;
    }

    /// <summary>
    /// Every warning/error expert info and malformed mark, one line each ("frame N, PROTOCOL:
    /// message (severity)"), except the tshark quirks explained at <see cref="IsTsharkQuirk"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnexplainedFindingsAsync()
    {
        const char Aggregator = '|';
        var lines = await FieldsAsync(
            "_ws.malformed || _ws.expert.severity >= warning",
            ["frame.number", "_ws.col.Protocol", "tcp.srcport", "frame.protocols", "_ws.expert.message", "_ws.expert.severity", "_ws.expert.group"],
            Aggregator);
        var findings = new List<string>();
        foreach (var line in lines)
        {
            var columns = line.Split('\t');
            var frame = int.Parse(columns[0], CultureInfo.InvariantCulture);
            var messages = columns[4].Split(Aggregator);
            var severities = columns[5].Split(Aggregator);
            var groups = columns[6].Split(Aggregator);
            for (var i = 0; i < messages.Length; i++)
            {
                var severity = long.Parse(severities[i], CultureInfo.InvariantCulture);
                if (severity < SeverityWarning)
                {
                    continue; // chats and notes (SYN, FIN, ...) are fine.
                }

                var finding = new Finding(frame, columns[1], columns[2], columns[3].Split(':').Contains("sdp"), messages[i], long.Parse(groups[i], CultureInfo.InvariantCulture));
                if (!await IsTsharkQuirk(finding))
                {
                    findings.Add($"frame {frame}, {columns[1]}: {messages[i]} (severity 0x{severity:x})");
                }
            }
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
    /// tshark 4.0 flags three things in a correct session; each is recognised precisely here:
    /// <list type="bullet">
    /// <item>"[Not decoded yet]" (group Undecoded) on every H.264 slice: tshark does not dissect
    /// slice data, it says so with a warning.</item>
    /// <item>"Connection reset (RST)" sent by the client's port, not the daemon's: ffmpeg sends
    /// TEARDOWN and closes its socket without reading the reply, so its kernel answers the reply
    /// (and any interleaved RTP still in flight) with RST.</item>
    /// <item>"Malformed Packet" inside SDP's sprop-parameter-sets (RFC 6184 §8.1): tshark's SDP
    /// dissector hands the base64-decoded SPS to the H.264 NAL dissector without removing the
    /// emulation-prevention bytes (00 00 03, H.264 §7.4.1), so it reads the VUI timing fields
    /// wrongly (num_units_in_tick 192 instead of 1) and runs off the end of the SPS. The same SPS
    /// bytes sent in-band over RTP dissect cleanly (num_units_in_tick 1, time_scale 60), and ffmpeg
    /// and GStreamer decode with it. Accepted only when every malformed mark of that frame sits
    /// under a sprop-parameter-sets parameter whose NAL unit contains 00 00 03.</item>
    /// </list>
    /// </summary>
    private async Task<bool> IsTsharkQuirk(Finding finding)
    {
        if (finding.Group == GroupUndecoded && finding.Message == "[Not decoded yet]")
        {
            return true;
        }

        if (finding.Message == "Connection reset (RST)")
        {
            return finding.TcpSourcePort.Length > 0 && finding.TcpSourcePort != _rtspPort.ToString(CultureInfo.InvariantCulture);
        }

        if (finding.HasSdp && finding.Message.StartsWith("Malformed Packet", StringComparison.Ordinal))
        {
            var pdml = await RunAsync([.. DecodeArguments(), "-Y", $"frame.number == {finding.Frame.ToString(CultureInfo.InvariantCulture)}", "-T", "pdml"]);
            var malformed = XDocument.Parse(pdml.StandardOutput)
                .Descendants("proto")
                .Where(p => (string?)p.Attribute("name") == "_ws.malformed" && (string?)p.Attribute("hide") != "yes")
                .ToList();
            return malformed.Count > 0 && malformed.All(IsUnderEscapedSprop);
        }

        return false;
    }

    private static bool IsUnderEscapedSprop(XElement malformed) =>
        malformed.Ancestors("field").Any(parameter =>
            (string?)parameter.Attribute("name") == "sdp.fmtp.parameter"
            && ((string?)parameter.Attribute("show"))?.StartsWith("sprop-parameter-sets=", StringComparison.Ordinal) == true
            && parameter.Descendants("field").Any(nal =>
                (string?)nal.Attribute("name") == "h264.nal_unit"
                && ((string?)nal.Attribute("show"))?.Contains("00:00:03", StringComparison.Ordinal) == true));

    private sealed record Finding(int Frame, string Protocol, string TcpSourcePort, bool HasSdp, string Message, long Group);
}
