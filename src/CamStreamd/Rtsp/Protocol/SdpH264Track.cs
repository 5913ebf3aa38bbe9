namespace CamStreamd.Rtsp.Protocol;

/// <summary>The H.264 video track an upstream server describes (what <see cref="SdpParser"/> finds).</summary>
/// <param name="PayloadType">The dynamic RTP payload type of H264 in <c>a=rtpmap</c>.</param>
/// <param name="ClockRate">The RTP clock rate (90000 for video, RFC 6184 §8.2.1).</param>
/// <param name="Control">The media-level <c>a=control</c> value, or null.</param>
/// <param name="SessionControl">The session-level <c>a=control</c> value, or null.</param>
/// <param name="PacketizationMode">fmtp packetization-mode (0 single NAL, 1 non-interleaved; 2 interleaved is not supported).</param>
/// <param name="Sps">The SPS from fmtp sprop-parameter-sets, or empty.</param>
/// <param name="Pps">The first PPS from sprop-parameter-sets, or empty.</param>
public sealed record SdpH264Track(int PayloadType, int ClockRate, string? Control, string? SessionControl, int PacketizationMode, byte[] Sps, byte[] Pps);
