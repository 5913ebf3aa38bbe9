using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>
/// Boots Debian's kernel in QEMU (TCG: KVM hangs on these machines) with a tiny busybox initramfs
/// whose root is the host's own <c>/</c> over virtio-9p, runs a script in it and collects the
/// results through a read-write 9p share. Needs qemu-system-x86, linux-image-amd64, busybox-static
/// and cpio; a missing one fails with the package to install.
/// </summary>
internal static partial class QemuGuest
{
    private const string DefaultInit = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
        for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko || echo "INIT: insmod $m failed"; done
        mkdir -p /newroot
        mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000 hostroot /newroot || echo "INIT: mounting the host root failed"
        mount -t proc proc /newroot/proc; mount -t sysfs sys /newroot/sys; mount -t devtmpfs dev /newroot/dev
        mkdir -p /hosttmp; mount -o bind /newroot/tmp /hosttmp
        mount -t tmpfs tmp /newroot/tmp; mount -t tmpfs run /newroot/run
        for p in @@KEEP_UNDER_TMP@@; do mkdir -p /newroot/tmp/$p; mount -o bind /hosttmp/$p /newroot/tmp/$p || echo "INIT: keeping /tmp/$p failed"; done
        mkdir -p /newroot/run/guest
        mount -t 9p -o rw,trans=virtio,version=9p2000.L,msize=512000 guestout /newroot/run/guest || echo "INIT: mounting guestout failed"
        echo "INIT: running the guest script"
        chroot /newroot /bin/sh /run/guest/script.sh > /newroot/run/guest/script.log 2>&1
        echo "GUEST-EXIT $?"
        sync
        poweroff -f
        """;

    /// <summary>
    /// The host directories under /tmp the guest must still see over the tmpfs it mounts there
    /// (relative to /tmp): the checkout the tests and daemon run from, and the dotnet host, when a
    /// clone lives in /tmp (as a CI checkout may).
    /// </summary>
    private static string KeptUnderTmp()
    {
        List<string> kept = [];
        foreach (var path in (string?[])[RepositoryRoot(), Path.GetDirectoryName(Environment.ProcessPath)])
        {
            if (path is not null && path.StartsWith("/tmp/", StringComparison.Ordinal) && !path.Contains(' ', StringComparison.Ordinal))
            {
                kept.Add(path["/tmp/".Length..].Split('/')[0]);
            }
        }

        return string.Join(' ', kept.Distinct(StringComparer.Ordinal));
    }

    private static string? RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CamStreamd.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>The Debian kernel release under /boot that has its modules installed.</summary>
    public static string KernelRelease()
    {
        var kernels = Directory.Exists("/boot") ? Directory.GetFiles("/boot", "vmlinuz-*") : [];
        foreach (var kernel in kernels.OrderDescending(StringComparer.Ordinal))
        {
            var release = Path.GetFileName(kernel)["vmlinuz-".Length..];
            if (Directory.Exists($"/lib/modules/{release}/kernel"))
            {
                return release;
            }
        }

        throw new InvalidOperationException("no kernel with modules under /boot and /lib/modules: install the Debian package linux-image-amd64");
    }

    /// <summary>Boots, runs <paramref name="options"/>.GuestScript and returns what it left.</summary>
    public static async Task<QemuGuestResult> RunAsync(QemuGuestOptions options)
    {
        var release = KernelRelease();
        var work = Directory.CreateTempSubdirectory("camstreamd-qemu-").FullName;
        var output = Path.Combine(work, "out");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "script.sh"), options.GuestScript);
        var initrd = await BuildInitramfsAsync(work, release, options);

        List<string> arguments =
        [
            "-accel", "tcg", "-smp", options.Cpus.ToString(CultureInfo.InvariantCulture),
            "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
            "-kernel", $"/boot/vmlinuz-{release}", "-initrd", initrd,
            "-append", $"console=ttyS0 panic=-1 quiet {options.KernelCommandLine}".Trim(),
        ];
        AddShare(arguments, new QemuShare("hostroot", "/", ReadOnly: true));
        AddShare(arguments, new QemuShare("guestout", output, ReadOnly: false));
        foreach (var share in options.Shares)
        {
            AddShare(arguments, share);
        }

        var run = await PeerProcess.RunAsync("qemu-system-x86_64", arguments, options.Timeout, "qemu-system-x86");
        var scriptLog = Path.Combine(output, "script.log");
        var exit = ExitLine().Match(run.StandardOutput);
        return new QemuGuestResult(
            run.StandardOutput + run.StandardError,
            File.Exists(scriptLog) ? await File.ReadAllTextAsync(scriptLog) : "(no script.log: the guest did not get to run the script)",
            exit.Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            run.TimedOut,
            run.Elapsed,
            output);
    }

    private static void AddShare(List<string> arguments, QemuShare share)
    {
        var id = "fs" + share.Tag;
        arguments.AddRange(
        [
            "-fsdev", $"local,id={id},path={share.HostPath},security_model=none,multidevs=remap{(share.ReadOnly ? ",readonly=on" : string.Empty)}",
            "-device", $"virtio-9p-pci,fsdev={id},mount_tag={share.Tag}",
        ]);
    }

    private static async Task<string> BuildInitramfsAsync(string work, string release, QemuGuestOptions options)
    {
        const string busybox = "/bin/busybox";
        if (!File.Exists(busybox))
        {
            throw new InvalidOperationException($"{busybox} is missing: install the Debian package busybox-static");
        }

        var root = Path.Combine(work, "initramfs");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "lib", "modules"));
        foreach (var dir in new[] { "proc", "sys", "dev", "newroot" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
        var moduleFiles = Directory.GetFiles($"/lib/modules/{release}/kernel", "*.ko*", SearchOption.AllDirectories)
            .GroupBy(f => Path.GetFileName(f).Split('.')[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var module in options.InitramfsModules)
        {
            if (!moduleFiles.TryGetValue(module, out var file) && !moduleFiles.TryGetValue(module.Replace('_', '-'), out file))
            {
                throw new InvalidOperationException($"module {module} not found under /lib/modules/{release}: install the Debian package linux-image-amd64");
            }

            if (!file.EndsWith(".ko", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file} is compressed; the initramfs init expects plain .ko files");
            }

            File.Copy(file, Path.Combine(root, "lib", "modules", module + ".ko"));
        }

        await File.WriteAllLinesAsync(Path.Combine(root, "lib", "modules", "order"), options.InitramfsModules);
        var init = Path.Combine(root, "init");
        await File.WriteAllTextAsync(init, (options.Init ?? DefaultInit.Replace("@@KEEP_UNDER_TMP@@", KeptUnderTmp(), StringComparison.Ordinal)).ReplaceLineEndings("\n"));

        var image = Path.Combine(work, "initramfs.cpio");
        var pack = await PeerProcess.RunAsync("sh", ["-c", $"cd '{root}' && chmod 755 init bin/busybox && find . | cpio -o -H newc --quiet > '{image}'"], TimeSpan.FromSeconds(30), "cpio");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"packing the initramfs failed (install the Debian package cpio): {pack.StandardError}");
        }

        return image;
    }

    [GeneratedRegex(@"GUEST-EXIT (\d+)")]
    private static partial Regex ExitLine();
}
