namespace CamStreamd.Interop.X264;

/// <summary>
/// Numbers from x264.h (X264_BUILD 164, Debian's libx264-164) and the few struct offsets the
/// binding relies on. Offsets are for LP64 (amd64 and arm64 alike): every field before them is an
/// <c>int</c>, <c>int64_t</c> or pointer, so both ABIs lay them out the same.
/// </summary>
internal static class X264Constants
{
    /// <summary>The soname of Debian's libx264-164 package.</summary>
    public const string Soname = "libx264.so.164";

    /// <summary>The Debian package that ships <see cref="Soname"/>.</summary>
    public const string Package = "libx264-164";

    /// <summary><c>x264_encoder_open</c> is a macro for this versioned export (X264_BUILD 164).</summary>
    public const string EncoderOpenExport = "x264_encoder_open_164";

    /// <summary>
    /// Bytes allocated for an <c>x264_param_t</c>: sizeof is 1024 in build 164; four times that
    /// leaves room for a later build that adds fields. Only x264's own functions touch it,
    /// apart from <see cref="ParamWidthOffset"/>..<see cref="ParamCspOffset"/>.
    /// </summary>
    public const int ParamBufferSize = 4096;

    /// <summary>Bytes allocated for an <c>x264_picture_t</c> (sizeof 240 in build 164).</summary>
    public const int PictureBufferSize = 1024;

    // x264_param_t leads with: uint32_t cpu (0), int i_threads (4), int i_lookahead_threads (8),
    // int b_sliced_threads (12), int b_deterministic (16), int b_cpu_independent (20),
    // int i_sync_lookahead (24), int i_width (28), int i_height (32), int i_csp (36).
    // x264_param_parse has no key for the picture size or colour space, so these three are
    // written in place (offsetof checked against x264.h by X264LayoutTests).

    /// <summary><c>offsetof(x264_param_t, i_width)</c>.</summary>
    public const int ParamWidthOffset = 28;

    /// <summary><c>offsetof(x264_param_t, i_height)</c>.</summary>
    public const int ParamHeightOffset = 32;

    /// <summary><c>offsetof(x264_param_t, i_csp)</c>.</summary>
    public const int ParamCspOffset = 36;

    // x264_picture_t: int i_type (0), int i_qpplus1 (4), int i_pic_struct (8), int b_keyframe (12),
    // int64_t i_pts (16), int64_t i_dts (24), x264_param_t *param (32), then x264_image_t img (40):
    // int i_csp (40), int i_plane (44), int i_stride[4] (48..63), uint8_t *plane[4] (64..95).

    /// <summary><c>offsetof(x264_picture_t, i_type)</c>.</summary>
    public const int PictureTypeOffset = 0;

    /// <summary><c>offsetof(x264_picture_t, b_keyframe)</c>.</summary>
    public const int PictureKeyframeOffset = 12;

    /// <summary><c>offsetof(x264_picture_t, i_pts)</c>.</summary>
    public const int PicturePtsOffset = 16;

    /// <summary><c>offsetof(x264_picture_t, img.i_csp)</c>.</summary>
    public const int PictureCspOffset = 40;

    /// <summary><c>offsetof(x264_picture_t, img.i_plane)</c>.</summary>
    public const int PicturePlaneCountOffset = 44;

    /// <summary><c>offsetof(x264_picture_t, img.i_stride)</c> (int[4]).</summary>
    public const int PictureStrideOffset = 48;

    /// <summary><c>offsetof(x264_picture_t, img.plane)</c> (uint8_t*[4]).</summary>
    public const int PicturePlaneOffset = 64;

    // x264_nal_t: int i_ref_idc (0), int i_type (4), int b_long_startcode (8), int i_first_mb (12),
    // int i_last_mb (16), int i_payload (20), uint8_t *p_payload (24), int i_padding (32); sizeof 40.

    /// <summary><c>offsetof(x264_nal_t, i_payload)</c>.</summary>
    public const int NalPayloadSizeOffset = 20;

    /// <summary><c>offsetof(x264_nal_t, p_payload)</c>.</summary>
    public const int NalPayloadOffset = 24;

    /// <summary><c>X264_CSP_I420</c>: yuv 4:2:0 planar.</summary>
    public const int X264_CSP_I420 = 0x0002;

    /// <summary><c>X264_TYPE_AUTO</c>: x264 chooses the frame type.</summary>
    public const int X264_TYPE_AUTO = 0x0000;

    /// <summary><c>X264_TYPE_IDR</c>: force an IDR picture.</summary>
    public const int X264_TYPE_IDR = 0x0001;

    /// <summary><c>X264_LOG_WARNING</c>: x264's own stderr log keeps warnings and errors only.</summary>
    public const int X264_LOG_WARNING = 1;

    /// <summary><c>X264_PARAM_BAD_NAME</c>: x264_param_parse does not know the key.</summary>
    public const int X264_PARAM_BAD_NAME = -1;

    /// <summary><c>X264_PARAM_BAD_VALUE</c>: x264_param_parse refused the value.</summary>
    public const int X264_PARAM_BAD_VALUE = -2;
}
