namespace CamStreamd.Media.H264;

/// <summary>The fields of an H.264 sequence parameter set that camstreamd uses (H.264 §7.3.2.1.1), from <see cref="SpsParser"/>.</summary>
public sealed record SequenceParameterSet
{
    /// <summary>profile_idc: 66 Baseline, 77 Main, 88 Extended, 100 High, 110 High 10, 122 High 4:2:2, 244 High 4:4:4 Predictive ...</summary>
    public required byte ProfileIdc { get; init; }

    /// <summary>The byte of constraint_set0..5 flags and reserved_zero_2bits, as on the wire (bit 7 = constraint_set0).</summary>
    public required byte ConstraintFlags { get; init; }

    /// <summary>level_idc: ten times the level (31 = level 3.1; 9 = level 1b in some profiles).</summary>
    public required byte LevelIdc { get; init; }

    /// <summary>seq_parameter_set_id (0..31).</summary>
    public required int Id { get; init; }

    /// <summary>chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when absent).</summary>
    public required int ChromaFormatIdc { get; init; }

    /// <summary>Luma bit depth (8 when absent).</summary>
    public required int BitDepthLuma { get; init; }

    /// <summary>Chroma bit depth (8 when absent).</summary>
    public required int BitDepthChroma { get; init; }

    /// <summary>frame_mbs_only_flag: false when the stream may hold field pictures (interlaced).</summary>
    public required bool FrameMbsOnly { get; init; }

    /// <summary>max_num_ref_frames.</summary>
    public required int MaxNumRefFrames { get; init; }

    /// <summary>Displayed width in pixels, after frame cropping.</summary>
    public required int Width { get; init; }

    /// <summary>Displayed height in pixels (a full frame, both fields), after frame cropping.</summary>
    public required int Height { get; init; }

    /// <summary>Coded width in pixels (macroblocks × 16).</summary>
    public required int CodedWidth { get; init; }

    /// <summary>Coded height in pixels (map units × 16, doubled for field coding).</summary>
    public required int CodedHeight { get; init; }

    /// <summary>The RFC 6184 profile-level-id: profile_idc, constraint byte and level_idc as six hex digits.</summary>
    public string ProfileLevelId => H264.ProfileLevelId.Format(ProfileIdc, ConstraintFlags, LevelIdc);
}
