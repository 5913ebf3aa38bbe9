using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>The libavutil calls the muxer needs besides the encoder's (options on any AVClass object, memory, dictionaries).</summary>
internal static partial class LibAvUtil
{
    /// <summary><c>int av_opt_set(void *obj, const char *name, const char *val, int search_flags)</c> on any AVClass-based object (a format context).</summary>
    [LibraryImport(LibraryName, EntryPoint = "av_opt_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set_obj(nint obj, string name, string val, int search_flags);

    /// <summary><c>void *av_mallocz(size_t size)</c>; 0 on failure. Memory FFmpeg will free (codec parameters' extradata).</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_mallocz(nuint size);

    /// <summary><c>int av_dict_set(AVDictionary **pm, const char *key, const char *value, int flags)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int av_dict_set(nint* pm, string key, string value, int flags);

    /// <summary><c>void av_dict_free(AVDictionary **m)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial void av_dict_free(nint* m);
}
