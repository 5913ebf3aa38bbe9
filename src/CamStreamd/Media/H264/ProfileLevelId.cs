namespace CamStreamd.Media.H264;

/// <summary>
/// The SDP <c>profile-level-id</c> parameter (RFC 6184 §8.1): the three bytes after the SPS NAL
/// header (profile_idc, constraint_set flags, level_idc) as six uppercase hex digits, e.g. "42C01F".
/// </summary>
public static class ProfileLevelId
{
    /// <summary>Formats the three bytes.</summary>
    public static string Format(byte profileIdc, byte constraintFlags, byte levelIdc) =>
        string.Create(6, (profileIdc, constraintFlags, levelIdc), static (span, v) =>
        {
            v.profileIdc.TryFormat(span, out _, "X2");
            v.constraintFlags.TryFormat(span[2..], out _, "X2");
            v.levelIdc.TryFormat(span[4..], out _, "X2");
        });

    /// <summary>
    /// Reads the profile-level-id from an SPS NAL unit (header byte first). Returns false when the
    /// unit is not an SPS or is shorter than four bytes. The bytes are read as they are: an emulation
    /// prevention byte could only sit among them after profile_idc = 0, which no profile uses.
    /// </summary>
    public static bool TryFormat(ReadOnlySpan<byte> spsNal, out string profileLevelId)
    {
        if (spsNal.Length < 4 || (spsNal[0] & 0x1F) != NalUnitType.Sps)
        {
            profileLevelId = string.Empty;
            return false;
        }

        profileLevelId = Format(spsNal[1], spsNal[2], spsNal[3]);
        return true;
    }
}
