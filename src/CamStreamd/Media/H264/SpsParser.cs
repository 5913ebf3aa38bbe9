namespace CamStreamd.Media.H264;

/// <summary>
/// Parses an H.264 sequence parameter set NAL unit (H.264 §7.3.2.1.1) far enough to know the
/// picture size (with frame cropping, §7.4.2.1.1) and the profile and level. Malformed input gives
/// false, never an exception. VUI parameters are not read.
/// </summary>
public static class SpsParser
{
    // Bounds that no real stream reaches; larger values mean a corrupt SPS (and keep arithmetic in range).
    private const uint MaxMacroblocksPerSide = 1024; // 16,384 pixels
    private const uint MaxCycleLength = 255;         // §7.4.2.1.1 num_ref_frames_in_pic_order_cnt_cycle

    /// <summary>Parses <paramref name="nal"/>: a whole SPS NAL unit, header byte first, no start code.</summary>
    public static bool TryParse(ReadOnlySpan<byte> nal, out SequenceParameterSet? sps)
    {
        sps = null;
        if (nal.Length < 4 || (nal[0] & 0x1F) != NalUnitType.Sps)
        {
            return false;
        }

        var r = new RbspBitReader(nal[1..]);
        var profileIdc = (byte)r.ReadBits(8);
        var constraintFlags = (byte)r.ReadBits(8);
        var levelIdc = (byte)r.ReadBits(8);
        var id = r.ReadUe();
        if (id > 31)
        {
            return false;
        }

        uint chromaFormatIdc = 1;
        var separateColourPlane = false;
        uint bitDepthLuma = 8;
        uint bitDepthChroma = 8;
        if (HasChromaInfo(profileIdc))
        {
            chromaFormatIdc = r.ReadUe();
            if (chromaFormatIdc > 3)
            {
                return false;
            }

            if (chromaFormatIdc == 3)
            {
                separateColourPlane = r.ReadFlag();
            }

            bitDepthLuma = 8 + r.ReadUe();
            bitDepthChroma = 8 + r.ReadUe();
            if (bitDepthLuma > 14 || bitDepthChroma > 14)
            {
                return false;
            }

            r.ReadFlag(); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag())
            {
                // seq_scaling_matrix_present_flag: 6 4x4 lists, then 2 (or 6 for 4:4:4) 8x8 lists.
                var lists = chromaFormatIdc == 3 ? 12 : 8;
                for (var i = 0; i < lists && !r.HasError; i++)
                {
                    if (r.ReadFlag())
                    {
                        SkipScalingList(ref r, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        var log2MaxFrameNumMinus4 = r.ReadUe();
        var pocType = r.ReadUe();
        if (log2MaxFrameNumMinus4 > 12 || pocType > 2)
        {
            return false;
        }

        if (pocType == 0)
        {
            if (r.ReadUe() > 12)
            {
                return false; // log2_max_pic_order_cnt_lsb_minus4
            }
        }
        else if (pocType == 1)
        {
            r.ReadFlag(); // delta_pic_order_always_zero_flag
            r.ReadSe();   // offset_for_non_ref_pic
            r.ReadSe();   // offset_for_top_to_bottom_field
            var cycle = r.ReadUe();
            if (cycle > MaxCycleLength)
            {
                return false;
            }

            for (var i = 0; i < cycle && !r.HasError; i++)
            {
                r.ReadSe(); // offset_for_ref_frame[i]
            }
        }

        var maxNumRefFrames = r.ReadUe();
        r.ReadFlag(); // gaps_in_frame_num_value_allowed_flag
        var widthMbs = r.ReadUe() + 1;
        var heightMapUnits = r.ReadUe() + 1;
        var frameMbsOnly = r.ReadFlag();
        if (!frameMbsOnly)
        {
            r.ReadFlag(); // mb_adaptive_frame_field_flag
        }

        r.ReadFlag(); // direct_8x8_inference_flag
        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.ReadFlag())
        {
            cropLeft = r.ReadUe();
            cropRight = r.ReadUe();
            cropTop = r.ReadUe();
            cropBottom = r.ReadUe();
        }

        if (r.HasError || maxNumRefFrames > 16 || widthMbs > MaxMacroblocksPerSide || heightMapUnits > MaxMacroblocksPerSide)
        {
            return false;
        }

        // §7.4.2.1.1 (7-18..7-21, Table 6-1): crop units depend on chroma subsampling and field coding.
        var fieldFactor = frameMbsOnly ? 1 : 2;
        var chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
        int cropUnitX, cropUnitY;
        if (chromaArrayType == 0)
        {
            cropUnitX = 1;
            cropUnitY = fieldFactor;
        }
        else
        {
            var subWidthC = chromaFormatIdc == 3 ? 1 : 2;
            var subHeightC = chromaFormatIdc == 1 ? 2 : 1;
            cropUnitX = subWidthC;
            cropUnitY = subHeightC * fieldFactor;
        }

        var codedWidth = (int)widthMbs * 16;
        var codedHeight = (int)heightMapUnits * 16 * fieldFactor;
        var width = codedWidth - (cropUnitX * ((long)cropLeft + cropRight));
        var height = codedHeight - (cropUnitY * ((long)cropTop + cropBottom));
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        sps = new SequenceParameterSet
        {
            ProfileIdc = profileIdc,
            ConstraintFlags = constraintFlags,
            LevelIdc = levelIdc,
            Id = (int)id,
            ChromaFormatIdc = (int)chromaFormatIdc,
            BitDepthLuma = (int)bitDepthLuma,
            BitDepthChroma = (int)bitDepthChroma,
            FrameMbsOnly = frameMbsOnly,
            MaxNumRefFrames = (int)maxNumRefFrames,
            Width = (int)width,
            Height = (int)height,
            CodedWidth = codedWidth,
            CodedHeight = codedHeight,
        };
        return true;
    }

    /// <summary>The profiles whose SPS carries chroma_format_idc, bit depths and scaling matrices (§7.3.2.1.1).</summary>
    private static bool HasChromaInfo(byte profileIdc) =>
        profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135;

    /// <summary>scaling_list() (§7.3.2.1.1.1): only delta_scale values are coded; read and drop them.</summary>
    private static void SkipScalingList(ref RbspBitReader r, int size)
    {
        var lastScale = 8;
        var nextScale = 8;
        for (var j = 0; j < size && !r.HasError; j++)
        {
            if (nextScale != 0)
            {
                var delta = r.ReadSe();
                nextScale = (lastScale + delta + 256) % 256;
            }

            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }
}
