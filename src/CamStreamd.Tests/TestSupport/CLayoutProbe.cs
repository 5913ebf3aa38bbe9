using System.Globalization;

namespace CamStreamd.Tests.TestSupport;

/// <summary>Where a C layout probe is compiled for and run.</summary>
public enum CProbeTarget
{
    /// <summary>This machine, with gcc.</summary>
    Native,

    /// <summary>arm64: cross-compiled through toolchain/aarch64.cmake, run under qemu-aarch64-static.</summary>
    Aarch64,
}

/// <summary>
/// Compiles a C program that prints <c>key value</c> lines (sizes, offsets, ioctl numbers, bytes)
/// and returns them, natively or for arm64. Any layout test can use it: write the probe source,
/// call <see cref="Run"/> for each <see cref="CProbeTarget"/>, compare with the C# constants.
/// </summary>
internal static class CLayoutProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The repository root (the directory holding CamStreamd.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CamStreamd.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"CamStreamd.sln not found above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Compiles and runs <paramref name="source"/> for <paramref name="target"/>; its output lines as a dictionary.</summary>
    public static Dictionary<string, string> Run(string source, CProbeTarget target)
    {
        var directory = Directory.CreateTempSubdirectory("camstreamd-cprobe-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "probe.c"), source);
            var output = target == CProbeTarget.Native ? RunNative(directory) : RunAarch64(directory);
            return Parse(output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Parses a probe's <c>0x...</c> or decimal value.</summary>
    public static ulong Number(Dictionary<string, string> probe, string key)
    {
        Assert.True(probe.TryGetValue(key, out var text), $"probe did not print {key}");
        return text.StartsWith("0x", StringComparison.Ordinal)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : ulong.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string RunNative(string directory)
    {
        var binary = Path.Combine(directory, "probe");
        Check(PeerProcess.Run("gcc", ["-std=c11", "-Wall", "-Werror", "-o", binary, Path.Combine(directory, "probe.c")], "gcc libc6-dev linux-libc-dev", Timeout), "gcc");
        return Check(PeerProcess.Run(binary, [], "gcc", Timeout), "probe");
    }

    private static string RunAarch64(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "CMakeLists.txt"), """
            cmake_minimum_required(VERSION 3.13)
            project(probe C)
            set(CMAKE_C_STANDARD 11)
            add_executable(probe probe.c)
            target_compile_options(probe PRIVATE -Wall -Werror)
            """);
        var build = Path.Combine(directory, "build");
        var toolchain = Path.Combine(RepositoryRoot, "toolchain", "aarch64.cmake");
        Check(PeerProcess.Run("cmake", ["-S", directory, "-B", build, $"-DCMAKE_TOOLCHAIN_FILE={toolchain}"], "cmake gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross", Timeout), "cmake configure");
        Check(PeerProcess.Run("cmake", ["--build", build], "cmake gcc-aarch64-linux-gnu", Timeout), "cmake build");
        var binary = Path.Combine(build, "probe");
        var file = Check(PeerProcess.Run("file", ["-b", binary], "file", Timeout), "file");
        Assert.Contains("ARM aarch64", file, StringComparison.Ordinal);
        return Check(PeerProcess.Run("qemu-aarch64-static", ["-L", "/usr/aarch64-linux-gnu", binary], "qemu-user-static", Timeout), "qemu-aarch64-static probe");
    }

    private static string Check(PeerProcess.Result result, string what)
    {
        Assert.False(result.TimedOut, $"{what} timed out");
        Assert.True(result.ExitCode == 0, $"{what} exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
        return result.StandardOutput;
    }

    private static Dictionary<string, string> Parse(string output)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            values[line[..space]] = line[(space + 1)..];
        }

        return values;
    }
}
