using System.Runtime.InteropServices;

namespace CamStreamd.Interop.X264;

/// <summary>
/// The libx264 calls camstreamd uses (x264.h, build 164), bound by soname at first use through
/// <see cref="NativeLibrary"/> and called through unmanaged function pointers: no DllImport
/// resolver, and the versioned <c>x264_encoder_open_164</c> export is looked up by name. Loading
/// libx264 maps neither libavcodec nor libavutil (libx264.so.164 needs only libc and libm).
/// </summary>
internal static unsafe class LibX264
{
    // Option names and values are short; longer ones are refused rather than truncated.
    private const int MaxUtf8Length = 256;

    private static readonly Lock Gate = new();
    private static volatile bool s_loaded;
    private static nint s_library;
    private static delegate* unmanaged<nint, byte*, byte*, int> s_paramDefaultPreset;
    private static delegate* unmanaged<nint, byte*, byte*, int> s_paramParse;
    private static delegate* unmanaged<nint, byte*, int> s_paramApplyProfile;
    private static delegate* unmanaged<nint, void> s_paramCleanup;
    private static delegate* unmanaged<nint, void> s_pictureInit;
    private static delegate* unmanaged<nint, nint> s_encoderOpen;
    private static delegate* unmanaged<nint, nint*, int*, nint, nint, int> s_encoderEncode;
    private static delegate* unmanaged<nint, void> s_encoderClose;

    /// <summary>
    /// Loads libx264.so.164 once and resolves its exports. Throws <see cref="X264UnavailableException"/>
    /// naming the Debian package when it is missing or lacks an export.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (s_loaded)
        {
            return;
        }

        lock (Gate)
        {
            if (s_loaded)
            {
                return;
            }

            // x264 built for x86-64 (HAVE_THP) madvises MADV_HUGEPAGE on every buffer of 1.75 MiB or
            // more, and the kernel then backs a partly used buffer with whole 2 MiB pages: at 720p
            // that is 6.7 MiB of RSS (49.3 -> 42.6 MiB for the daemon with 10 viewers) for pages x264
            // never touches (arm64 builds do not ask). Huge pages are turned off for the process before the first encoder allocates;
            // encoding CPU did not change measurably. A failure only costs that memory.
            _ = Libc.LibcNative.Prctl(Libc.LibcNative.PR_SET_THP_DISABLE, 1, 0, 0, 0);

            if (!NativeLibrary.TryLoad(X264Constants.Soname, out var library))
            {
                throw new X264UnavailableException(
                    $"{X264Constants.Soname} not found: install the Debian package {X264Constants.Package}");
            }

            s_paramDefaultPreset = (delegate* unmanaged<nint, byte*, byte*, int>)Export(library, "x264_param_default_preset");
            s_paramParse = (delegate* unmanaged<nint, byte*, byte*, int>)Export(library, "x264_param_parse");
            s_paramApplyProfile = (delegate* unmanaged<nint, byte*, int>)Export(library, "x264_param_apply_profile");
            s_paramCleanup = (delegate* unmanaged<nint, void>)Export(library, "x264_param_cleanup");
            s_pictureInit = (delegate* unmanaged<nint, void>)Export(library, "x264_picture_init");
            s_encoderOpen = (delegate* unmanaged<nint, nint>)Export(library, X264Constants.EncoderOpenExport);
            s_encoderEncode = (delegate* unmanaged<nint, nint*, int*, nint, nint, int>)Export(library, "x264_encoder_encode");
            s_encoderClose = (delegate* unmanaged<nint, void>)Export(library, "x264_encoder_close");
            s_library = library;
            s_loaded = true;
        }
    }

    /// <summary>True once <see cref="EnsureLoaded"/> succeeded in this process.</summary>
    public static bool IsLoaded => s_loaded;

    /// <summary><c>int x264_param_default_preset(x264_param_t *, const char *preset, const char *tune)</c>: 0, or -1 for an unknown preset or tune.</summary>
    public static int ParamDefaultPreset(nint param, string preset, string tune)
    {
        var presetBytes = stackalloc byte[MaxUtf8Length + 1];
        var tuneBytes = stackalloc byte[MaxUtf8Length + 1];
        ToUtf8Z(preset, presetBytes);
        ToUtf8Z(tune, tuneBytes);
        return s_paramDefaultPreset(param, presetBytes, tuneBytes);
    }

    /// <summary><c>int x264_param_parse(x264_param_t *, const char *name, const char *value)</c>: 0, X264_PARAM_BAD_NAME or X264_PARAM_BAD_VALUE.</summary>
    public static int ParamParse(nint param, string name, string value)
    {
        var nameBytes = stackalloc byte[MaxUtf8Length + 1];
        var valueBytes = stackalloc byte[MaxUtf8Length + 1];
        ToUtf8Z(name, nameBytes);
        ToUtf8Z(value, valueBytes);
        return s_paramParse(param, nameBytes, valueBytes);
    }

    /// <summary><c>int x264_param_apply_profile(x264_param_t *, const char *profile)</c>: 0, or -1 when the profile cannot hold the settings.</summary>
    public static int ParamApplyProfile(nint param, string profile)
    {
        var profileBytes = stackalloc byte[MaxUtf8Length + 1];
        ToUtf8Z(profile, profileBytes);
        return s_paramApplyProfile(param, profileBytes);
    }

    /// <summary><c>void x264_param_cleanup(x264_param_t *)</c>: frees the strings x264_param_parse duplicated.</summary>
    public static void ParamCleanup(nint param) => s_paramCleanup(param);

    /// <summary><c>void x264_picture_init(x264_picture_t *)</c>.</summary>
    public static void PictureInit(nint picture) => s_pictureInit(picture);

    /// <summary><c>x264_t *x264_encoder_open_164(x264_param_t *)</c>: 0 when the parameters are refused.</summary>
    public static nint EncoderOpen(nint param) => s_encoderOpen(param);

    /// <summary>
    /// <c>int x264_encoder_encode(x264_t *, x264_nal_t **pp_nal, int *pi_nal, x264_picture_t *pic_in, x264_picture_t *pic_out)</c>:
    /// the bytes of all NAL units (contiguous in memory, Annex-B with start codes), 0 when no picture came out, negative on error.
    /// </summary>
    public static int EncoderEncode(X264EncoderHandle encoder, nint* nals, int* nalCount, nint pictureIn, nint pictureOut)
    {
        var added = false;
        encoder.DangerousAddRef(ref added);
        try
        {
            return s_encoderEncode(encoder.DangerousGetHandle(), nals, nalCount, pictureIn, pictureOut);
        }
        finally
        {
            if (added)
            {
                encoder.DangerousRelease();
            }
        }
    }

    /// <summary><c>void x264_encoder_close(x264_t *)</c>.</summary>
    public static void EncoderClose(nint encoder) => s_encoderClose(encoder);

    private static nint Export(nint library, string name)
    {
        if (!NativeLibrary.TryGetExport(library, name, out var address))
        {
            throw new X264UnavailableException(
                $"{name} not exported by {X264Constants.Soname}; is it x264 build 164 (Debian package {X264Constants.Package})?");
        }

        return address;
    }

    private static void ToUtf8Z(string text, byte* destination)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) > MaxUtf8Length)
        {
            throw new ArgumentException($"x264 option text longer than {MaxUtf8Length} bytes: '{text[..32]}...'", nameof(text));
        }

        var written = System.Text.Encoding.UTF8.GetBytes(text, new Span<byte>(destination, MaxUtf8Length));
        destination[written] = 0;
    }
}
