namespace CamStreamd.WebRtc.Sdp;

/// <summary>One H.264 format a browser offered (a=rtpmap H264/90000 and its a=fmtp, RFC 6184 §8.1).</summary>
/// <param name="PayloadType">The RTP payload type, 96..127.</param>
/// <param name="ProfileLevelId">profile-level-id (profile_idc, constraint flags, level_idc), or null when absent (Baseline, level 1.0).</param>
/// <param name="PacketizationMode">packetization-mode (0 when absent: single NAL units only).</param>
/// <param name="LevelAsymmetryAllowed">level-asymmetry-allowed=1: we may send a higher level than offered.</param>
internal sealed record SdpH264Format(int PayloadType, uint? ProfileLevelId, int PacketizationMode, bool LevelAsymmetryAllowed);
