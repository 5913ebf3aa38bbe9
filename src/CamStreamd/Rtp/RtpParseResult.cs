namespace CamStreamd.Rtp;

/// <summary>Outcome of parsing an RTP header (<see cref="RtpHeader.TryRead"/>).</summary>
public enum RtpParseResult
{
    /// <summary>A well-formed header.</summary>
    Ok = 0,

    /// <summary>Fewer bytes than the header, CSRC list or extension needs.</summary>
    TooShort,

    /// <summary>The version field is not 2.</summary>
    BadVersion,

    /// <summary>The padding count is zero or longer than the payload.</summary>
    BadPadding,
}
