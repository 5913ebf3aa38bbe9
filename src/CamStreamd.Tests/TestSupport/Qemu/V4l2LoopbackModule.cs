namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>
/// Builds <c>v4l2loopback.ko</c> for the Debian kernel the guests boot, from Debian's
/// <c>v4l2loopback-dkms</c> source against <c>linux-headers-RELEASE</c> (package
/// <c>linux-headers-amd64</c>), and caches it under <c>~/.cache/camstreamd/v4l2loopback/RELEASE</c>
/// (the guest sees the host's <c>/</c>, so it can <c>insmod</c> it from there). The source comes
/// from <c>/usr/src/v4l2loopback-*</c> when the package is installed, otherwise from
/// <c>apt-get download v4l2loopback-dkms</c> unpacked with <c>dpkg-deb -x</c>: installing the
/// package would make dkms build for the host's own kernel, which has no headers here.
/// </summary>
internal static class V4l2LoopbackModule
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The path of the built module for <paramref name="release"/> (built on first use, then cached).</summary>
    public static async Task<string> BuildAsync(string release)
    {
        var cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "camstreamd", "v4l2loopback", release);
        var module = Path.Combine(cache, "v4l2loopback.ko");
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(module))
            {
                return module;
            }

            var headers = $"/lib/modules/{release}/build";
            if (!File.Exists(Path.Combine(headers, "Makefile")))
            {
                throw new InvalidOperationException($"{headers} is missing: install the Debian package linux-headers-amd64 (linux-headers-{release})");
            }

            Directory.CreateDirectory(cache);
            var source = await FindSourceAsync(cache);
            var build = Path.Combine(cache, "build");
            if (Directory.Exists(build))
            {
                Directory.Delete(build, recursive: true);
            }

            await Run("cp", ["-r", source, build], "coreutils");
            var make = await PeerProcess.RunAsync("make", ["-C", headers, $"M={build}", "modules"], TimeSpan.FromMinutes(5), "make");
            if (make.ExitCode != 0 || !File.Exists(Path.Combine(build, "v4l2loopback.ko")))
            {
                throw new InvalidOperationException($"building v4l2loopback against {headers} failed (packages make, gcc, linux-headers-amd64):\n{make.StandardOutput}\n{make.StandardError}");
            }

            File.Copy(Path.Combine(build, "v4l2loopback.ko"), module + ".tmp", overwrite: true);
            File.Move(module + ".tmp", module, overwrite: true);
            return module;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> FindSourceAsync(string cache)
    {
        var installed = Directory.Exists("/usr/src") ? Directory.GetDirectories("/usr/src", "v4l2loopback-*").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (installed is not null)
        {
            return installed;
        }

        var unpacked = Path.Combine(cache, "deb");
        var found = Directory.Exists(Path.Combine(unpacked, "usr", "src"))
            ? Directory.GetDirectories(Path.Combine(unpacked, "usr", "src"), "v4l2loopback-*").FirstOrDefault()
            : null;
        if (found is not null)
        {
            return found;
        }

        var download = Path.Combine(cache, "download");
        Directory.CreateDirectory(download);
        await Run("apt-get", ["download", "-q", "v4l2loopback-dkms"], "apt", download);
        var deb = Directory.GetFiles(download, "v4l2loopback-dkms_*.deb").FirstOrDefault()
            ?? throw new InvalidOperationException("apt-get download v4l2loopback-dkms left no .deb (is the Debian package v4l2loopback-dkms in the apt lists? run apt-get update)");
        await Run("dpkg-deb", ["-x", deb, unpacked], "dpkg");
        return Directory.GetDirectories(Path.Combine(unpacked, "usr", "src"), "v4l2loopback-*").FirstOrDefault()
            ?? throw new InvalidOperationException($"{deb} holds no usr/src/v4l2loopback-*");
    }

    private static async Task Run(string file, IEnumerable<string> arguments, string package, string? directory = null)
    {
        var run = await PeerProcess.RunAsync(file, arguments, TimeSpan.FromMinutes(2), package, directory);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({run.ExitCode}): {run.StandardError}");
        }
    }
}
