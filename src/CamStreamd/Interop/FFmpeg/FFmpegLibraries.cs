using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Loads libavcodec and libavutil by soname (never the unversioned <c>.so</c> of a -dev package),
/// trying FFmpeg 7.x, 6.x, then 5.1, checks that <c>avcodec_version()</c> reports a supported
/// major, and maps the <c>[LibraryImport]</c> names to the loaded handles.
/// </summary>
public static class FFmpegLibraries
{
    private static readonly Lock Gate = new();
    private static LoadedLibraries? s_loaded;
    private static nint s_swscale;
    private static nint s_avformat;
    private static int s_resolverRegistered;

    /// <summary>The libavcodec majors camstreamd has layout tables for.</summary>
    public static IReadOnlyList<int> SupportedMajors { get; } = [.. FFmpegSonameSet.Supported.Select(s => s.AvcodecMajor)];

    /// <summary>
    /// Loads the libraries once (later calls return the same result) and lowers FFmpeg's own
    /// stderr logging to warnings. Throws <see cref="FFmpegUnavailableException"/> with what to
    /// install when no supported set is found or the version is not supported.
    /// </summary>
    public static FFmpegVersionInfo EnsureLoaded() => EnsureLoadedCore().Info;

    /// <summary>The struct layout for the loaded libavcodec.</summary>
    internal static FFmpegLayout Layout => EnsureLoadedCore().Layout;

    /// <summary>Registers the DllImport resolver for this assembly; idempotent.</summary>
    internal static void RegisterResolver()
    {
        if (Interlocked.Exchange(ref s_resolverRegistered, 1) == 0)
        {
            // One resolver per assembly: names it does not own fall back to default probing.
            NativeLibrary.SetDllImportResolver(typeof(FFmpegLibraries).Assembly, Resolve);
        }
    }

    /// <summary>
    /// Opens the first set whose libavcodec loads, and checks its version. Touches no global
    /// state (tests pass a bogus list to see the message).
    /// </summary>
    internal static LoadedLibraries Load(IReadOnlyList<FFmpegSonameSet> sets)
    {
        foreach (var set in sets)
        {
            if (!NativeLibrary.TryLoad(set.Avcodec, out var avcodec))
            {
                continue;
            }

            if (!NativeLibrary.TryLoad(set.Avutil, out var avutil))
            {
                throw new FFmpegUnavailableException(
                    $"{set.Avutil} not found (needed with {set.Avcodec}): install the Debian package {PackageName(set.Avutil)}");
            }

            var avcodecVersion = CallVersion(avcodec, "avcodec_version");
            var avutilVersion = CallVersion(avutil, "avutil_version");
            var layout = CheckSupportedMajor(avcodecVersion);
            if (avcodecVersion >> 16 != set.AvcodecMajor || avutilVersion >> 16 != set.AvutilMajor)
            {
                throw new FFmpegUnavailableException(
                    $"{set.Avcodec} reports version {FFmpegVersionInfo.Format(avcodecVersion)} and {set.Avutil} " +
                    $"{FFmpegVersionInfo.Format(avutilVersion)}; expected majors {set.AvcodecMajor} and {set.AvutilMajor} (FFmpeg {set.Release})");
            }

            var info = new FFmpegVersionInfo(
                set.Release, set.AvcodecMajor, FFmpegVersionInfo.Format(avcodecVersion),
                FFmpegVersionInfo.Format(avutilVersion), set.Avcodec, set.Avutil);
            return new LoadedLibraries(set, avcodec, avutil, layout, info);
        }

        throw new FFmpegUnavailableException(NotFoundMessage(sets));
    }

    /// <summary>Returns the layout for a supported <c>avcodec_version()</c>; throws naming the major otherwise.</summary>
    internal static FFmpegLayout CheckSupportedMajor(uint avcodecVersion)
    {
        var major = (int)(avcodecVersion >> 16);
        return FFmpegLayout.ForMajor(major) ?? throw new FFmpegUnavailableException(
            $"libavcodec major version {major} ({FFmpegVersionInfo.Format(avcodecVersion)}) is not supported; supported majors: " +
            string.Join(", ", FFmpegSonameSet.Supported.OrderBy(s => s.AvcodecMajor).Select(s => $"{s.AvcodecMajor} (FFmpeg {s.Release})")));
    }

    /// <summary>"libavcodec not found (tried libavcodec.so.61, .60, .59): install ...".</summary>
    internal static string NotFoundMessage(IReadOnlyList<FFmpegSonameSet> sets)
    {
        var tried = new StringBuilder();
        string? prefix = null;
        foreach (var set in sets)
        {
            var dot = set.Avcodec.LastIndexOf('.');
            if (prefix is not null && dot > 0 && set.Avcodec[..dot] == prefix)
            {
                tried.Append(", ").Append(set.Avcodec, dot, set.Avcodec.Length - dot);
                continue;
            }

            tried.Append(tried.Length == 0 ? string.Empty : ", ").Append(set.Avcodec);
            prefix = dot > 0 ? set.Avcodec[..dot] : null;
        }

        return $"libavcodec not found (tried {tried}): install the Debian package libavcodec59 (Debian 12) or libavcodec61 (Debian 13)";
    }

    private static LoadedLibraries EnsureLoadedCore()
    {
        var loaded = Volatile.Read(ref s_loaded);
        if (loaded is not null)
        {
            return loaded;
        }

        lock (Gate)
        {
            loaded = s_loaded;
            if (loaded is null)
            {
                loaded = Load(FFmpegSonameSet.Supported);
                RegisterResolver();
                Volatile.Write(ref s_loaded, loaded);
                SetLogLevel(loaded.Avutil, FFmpegConstants.AV_LOG_WARNING);
            }
        }

        return loaded;
    }

    // NativeAOT binds a P/Invoke's library on the P/Invoke's first call and, when two threads race
    // to bind the same cell, frees the loser's handle (InteropHelpers.FixupModuleCell: FreeLibrary).
    // Our cached handle returned as it is would lose the one reference we hold: four composite
    // inputs opening their decoders at once unloaded libavcodec under the winner (SIGSEGV in
    // dlsym("av_packet_alloc"), libavcodec gone from the core's library list; 3 of 52 starts).
    // So every handle the resolver gives out carries a reference of its own: dlopen of a loaded
    // library only counts it up. CoreCLR never frees them, which keeps loaded what stays loaded anyway.
    internal static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        switch (libraryName)
        {
            case LibAvCodec.LibraryName:
                return AddReference(EnsureLoadedCore().Set.Avcodec);
            case LibAvUtil.LibraryName:
                return AddReference(EnsureLoadedCore().Set.Avutil);
            case "libswscale":
                var loaded = EnsureLoadedCore();
                lock (Gate)
                {
                    if (s_swscale == 0 && !NativeLibrary.TryLoad(loaded.Set.Swscale, out s_swscale))
                    {
                        throw new FFmpegUnavailableException(
                            $"{loaded.Set.Swscale} not found: install the Debian package {PackageName(loaded.Set.Swscale)}");
                    }
                }

                return AddReference(loaded.Set.Swscale);
            case LibAvFormat.LibraryName:
                LoadAvformat();
                return AddReference(AvformatSoname(EnsureLoadedCore()));
            default:
                return 0;
        }
    }

    /// <summary>A handle to the already loaded <paramref name="soname"/> with a reference of its own (see <see cref="Resolve"/>).</summary>
    internal static nint AddReference(string soname) => NativeLibrary.Load(soname);

    private static string AvformatSoname(LoadedLibraries loaded) => $"libavformat.so.{loaded.Set.AvcodecMajor}";

    /// <summary>libavformat of the loaded set (recording, RTMP/SRT publishing), loaded on first use.</summary>
    private static nint LoadAvformat()
    {
        var soname = AvformatSoname(EnsureLoadedCore());
        lock (Gate)
        {
            if (s_avformat == 0 && !NativeLibrary.TryLoad(soname, out s_avformat))
            {
                throw new FFmpegUnavailableException($"{soname} not found: install the Debian package {PackageName(soname)}");
            }

            return s_avformat;
        }
    }

    // Called through the export directly so that loading never depends on the resolver.
    private static unsafe uint CallVersion(nint library, string export)
    {
        if (!NativeLibrary.TryGetExport(library, export, out var address))
        {
            throw new FFmpegUnavailableException($"{export} not exported by the loaded library; is it really FFmpeg?");
        }

        return ((delegate* unmanaged<uint>)address)();
    }

    private static unsafe void SetLogLevel(nint avutil, int level)
    {
        if (NativeLibrary.TryGetExport(avutil, "av_log_set_level", out var address))
        {
            ((delegate* unmanaged<int, void>)address)(level);
        }
    }

    // Debian names runtime library packages after the soname: libavutil.so.57 -> libavutil57.
    private static string PackageName(string soname) => soname.Replace(".so.", string.Empty, StringComparison.Ordinal);

    /// <summary>Handles of a loaded, version-checked set.</summary>
    internal sealed record LoadedLibraries(
        FFmpegSonameSet Set, nint Avcodec, nint Avutil, FFmpegLayout Layout, FFmpegVersionInfo Info);
}
