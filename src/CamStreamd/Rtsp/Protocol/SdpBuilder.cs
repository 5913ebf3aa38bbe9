using System.Globalization;
using System.Net;
using System.Text;
using CamStreamd.Media;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Builds the session description a DESCRIBE returns (SDP, RFC 4566) for one H.264 stream
/// (RTP payload format RFC 6184 §8.2, packetization-mode 1: single NAL units and FU-A).
/// </summary>
public static class SdpBuilder
{
    /// <summary>The dynamic RTP payload type used for H.264.</summary>
    public const int PayloadType = 96;

    /// <summary>The media-level control attribute: the track's URL relative to Content-Base.</summary>
    public const string TrackControl = "trackID=0";

    /// <summary>Builds the SDP text.</summary>
    /// <param name="description">Size, rate and parameter sets of the stream.</param>
    /// <param name="streamName">Session name (s=).</param>
    /// <param name="serverAddress">The address in the origin line (o=).</param>
    /// <param name="sessionId">Origin session id (o=, a numeric string, RFC 4566 §5.2).</param>
    /// <param name="sessionVersion">Origin session version; change it when the description changes.</param>
    /// <param name="live">True for a live source (a=range:npt=now-), false for npt=0-.</param>
    public static string Build(StreamDescription description, string streamName, IPAddress serverAddress, ulong sessionId, ulong sessionVersion, bool live = true)
    {
        ArgumentNullException.ThrowIfNull(description);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        ArgumentNullException.ThrowIfNull(serverAddress);
        var address = serverAddress.IsIPv4MappedToIPv6 ? serverAddress.MapToIPv4() : serverAddress;
        var addressType = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(512);
        sb.Append("v=0\r\n");
        sb.Append(inv, $"o=- {sessionId} {sessionVersion} IN {addressType} {address}\r\n");
        sb.Append(inv, $"s={streamName}\r\n");
        sb.Append("c=IN IP4 0.0.0.0\r\n");
        sb.Append("t=0 0\r\n");
        sb.Append("a=control:*\r\n");
        sb.Append(live ? "a=range:npt=now-\r\n" : "a=range:npt=0-\r\n");
        sb.Append(inv, $"m=video 0 RTP/AVP {PayloadType}\r\n");
        sb.Append(inv, $"a=rtpmap:{PayloadType} H264/{AccessUnit.ClockRate}\r\n");
        sb.Append(inv, $"a=fmtp:{PayloadType} {FormatParameters(description)}\r\n");
        if (description.Fps > 0)
        {
            sb.Append(inv, $"a=framerate:{description.Fps:0.###}\r\n");
        }

        if (description.Width > 0 && description.Height > 0)
        {
            sb.Append(inv, $"a=x-dimensions:{description.Width},{description.Height}\r\n");
            sb.Append(inv, $"a=framesize:{PayloadType} {description.Width}-{description.Height}\r\n");
        }

        sb.Append(inv, $"a=control:{TrackControl}\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// The fmtp parameters (RFC 6184 §8.1): packetization-mode=1; profile-level-id = the SPS's
    /// profile_idc, constraint flags and level_idc (the three bytes after its NAL header) in hex;
    /// sprop-parameter-sets = base64 of the SPS and PPS NAL units, comma-separated.
    /// </summary>
    public static string FormatParameters(StreamDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var sb = new StringBuilder("packetization-mode=1");
        if (description.Sps.Length >= 4)
        {
            sb.Append(";profile-level-id=").Append(Convert.ToHexString(description.Sps, 1, 3));
        }

        if (description.Sps.Length > 0 && description.Pps.Length > 0)
        {
            sb.Append(";sprop-parameter-sets=")
                .Append(Convert.ToBase64String(description.Sps))
                .Append(',')
                .Append(Convert.ToBase64String(description.Pps));
        }

        return sb.ToString();
    }
}
