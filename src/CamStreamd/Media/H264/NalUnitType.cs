namespace CamStreamd.Media.H264;

/// <summary>The H.264 NAL unit types camstreamd acts on (ITU-T H.264 Table 7-1).</summary>
public static class NalUnitType
{
    /// <summary>Coded slice of a non-IDR picture.</summary>
    public const int NonIdrSlice = 1;

    /// <summary>Coded slice of an IDR picture.</summary>
    public const int IdrSlice = 5;

    /// <summary>Supplemental enhancement information.</summary>
    public const int Sei = 6;

    /// <summary>Sequence parameter set.</summary>
    public const int Sps = 7;

    /// <summary>Picture parameter set.</summary>
    public const int Pps = 8;

    /// <summary>Access unit delimiter.</summary>
    public const int AccessUnitDelimiter = 9;
}
