using System.Globalization;
using System.Text;

namespace CamStreamd.WebRtc.Sdp;

/// <summary>
/// Picks the browser's H.264 payload type to send the stream on: packetization-mode=1 (FU-A, which
/// our packetizer makes), the stream's own profile where offered (Safari shows black when the
/// answer's profile differs from the bitstream's), else a profile whose decoder also decodes the
/// stream (a Main decoder decodes Constrained Baseline), and a level the browser accepts
/// (level-asymmetry-allowed, which Chromium and Firefox offer, lets us send a higher one).
/// </summary>
internal static class H264FormatMatcher
{
    /// <summary>The profile-level-id (3 bytes) of an SPS NAL unit (header byte first).</summary>
    public static uint ProfileLevelIdOf(ReadOnlySpan<byte> sps) =>
        sps.Length < 4 ? 0 : (uint)((sps[1] << 16) | (sps[2] << 8) | sps[3]);

    /// <summary>The profile a profile-level-id names.</summary>
    public static H264ProfileKind Classify(uint profileLevelId)
    {
        var idc = (profileLevelId >> 16) & 0xFF;
        var iop = (profileLevelId >> 8) & 0xFF;
        return idc switch
        {
            0x42 => (iop & 0x40) != 0 ? H264ProfileKind.ConstrainedBaseline : H264ProfileKind.Baseline,
            0x4D => (iop & 0x80) != 0 ? H264ProfileKind.ConstrainedBaseline : H264ProfileKind.Main,
            0x58 => (iop & 0xC0) == 0xC0 ? H264ProfileKind.ConstrainedBaseline : H264ProfileKind.Other,
            0x64 => (iop & 0x0C) == 0x0C ? H264ProfileKind.ConstrainedHigh : H264ProfileKind.High,
            0xF4 => H264ProfileKind.High444,
            _ => H264ProfileKind.Other,
        };
    }

    /// <summary>
    /// The format to answer with for a stream of <paramref name="streamProfileLevelId"/>, and the
    /// profile-level-id to put in the answer; null with <paramref name="reason"/> when none fits.
    /// </summary>
    public static SdpH264Format? Choose(IReadOnlyList<SdpH264Format> offered, uint streamProfileLevelId, out uint answerProfileLevelId, out string reason)
    {
        answerProfileLevelId = streamProfileLevelId;
        reason = "";
        var stream = Classify(streamProfileLevelId);
        var streamLevel = streamProfileLevelId & 0xFF;
        SdpH264Format? fallback = null;
        foreach (var format in offered)
        {
            if (format.PacketizationMode != 1)
            {
                continue;
            }

            // RFC 6184 §8.1: no profile-level-id means 42000a (Baseline, level 1.0).
            var id = format.ProfileLevelId ?? 0x42000A;
            if (!format.LevelAsymmetryAllowed && streamLevel > (id & 0xFF))
            {
                continue;
            }

            var kind = Classify(id);
            if (kind == stream)
            {
                return format;
            }

            if (fallback is null && Decodes(kind, stream))
            {
                fallback = format;
            }
        }

        if (fallback is not null)
        {
            // Answer in the offered profile's terms (the browser matches answers to offers by profile), with our level.
            answerProfileLevelId = ((fallback.ProfileLevelId ?? 0x42000A) & 0xFFFF00) | streamLevel;
            return fallback;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"no offered H.264 format can carry the stream ({stream} profile, profile-level-id {streamProfileLevelId:x6}, packetization-mode 1); offered: ");
        if (offered.Count == 0)
        {
            text.Append("none");
        }

        for (var i = 0; i < offered.Count; i++)
        {
            var f = offered[i];
            var id = f.ProfileLevelId ?? 0x42000A;
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}{f.PayloadType} {Classify(id)} {id:x6} packetization-mode {f.PacketizationMode}");
        }

        reason = text.ToString();
        return null;
    }

    // Which decoder profiles decode a bitstream of another (Constrained Baseline is a subset of all of them).
    private static bool Decodes(H264ProfileKind decoder, H264ProfileKind stream) => stream switch
    {
        H264ProfileKind.ConstrainedBaseline => decoder is H264ProfileKind.Baseline or H264ProfileKind.Main or H264ProfileKind.High or H264ProfileKind.ConstrainedHigh or H264ProfileKind.High444,
        H264ProfileKind.Main => decoder is H264ProfileKind.High or H264ProfileKind.High444,
        H264ProfileKind.High => decoder is H264ProfileKind.High444,
        H264ProfileKind.ConstrainedHigh => decoder is H264ProfileKind.High or H264ProfileKind.High444,
        _ => false,
    };
}
