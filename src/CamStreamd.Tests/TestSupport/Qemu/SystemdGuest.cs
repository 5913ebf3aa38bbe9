namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>
/// A QEMU guest that boots the host's own systemd, for the real <c>dpkg -i</c> and
/// <c>systemctl</c> flow (TESTING.md, "a guest that boots systemd"). The initramfs mounts the host's
/// <c>/</c> (9p, read-only) as the lower layer of an overlay whose upper layer is a tmpfs, so the
/// guest may install packages and edit <c>/etc</c> while the host stays untouched; it mounts the
/// read-write output share at <c>/guest</c>, writes a test unit that runs <c>/guest/script.sh</c>
/// once <c>multi-user.target</c> is reached, and execs <c>/lib/systemd/systemd</c>. The unit writes
/// the script's output to <c>/guest/script.log</c> (the script is killed after
/// <see cref="ScriptTimeoutSeconds"/>), then runs <c>/guest/after.sh</c> when the script left one
/// (to collect logs whatever happened, output in <c>/guest/after.log</c>), prints
/// <c>GUEST-EXIT N</c> (the script's exit code) on the console and powers off.
/// </summary>
/// <remarks>
/// Kept lean because TCG is slow: the services the host has enabled (its own database, timers,
/// gettys) are switched off in the overlay (their <c>.wants</c> links removed, which the overlay
/// records as whiteouts in the tmpfs), and the units that would wait for a network, a console login
/// or a first-boot prompt are masked. systemd itself, journald, udevd and dbus run as on a board.
/// </remarks>
internal static class SystemdGuest
{
    /// <summary>Where the output share is mounted in the guest.</summary>
    public const string OutputDirectory = "/guest";

    /// <summary>
    /// Units masked in the guest: consoles and logins (a serial getty would wait on ttyS0),
    /// network waits (the guest has only loopback), first-boot prompts, timers and jobs that would
    /// only load the two TCG CPUs.
    /// </summary>
    public static IReadOnlyList<string> MaskedUnits { get; } =
    [
        "getty.target", "getty-static.service", "serial-getty@ttyS0.service", "console-getty.service", "getty@tty1.service",
        "systemd-firstboot.service", "systemd-machine-id-commit.service",
        "networking.service", "ifupdown-pre.service", "ifupdown-wait-online.service", "systemd-networkd-wait-online.service",
        "NetworkManager-wait-online.service", "systemd-timesyncd.service", "systemd-pstore.service",
        "apt-daily.timer", "apt-daily-upgrade.timer", "dpkg-db-backup.timer", "e2scrub_all.timer", "e2scrub_reap.service",
        "fstrim.timer", "man-db.timer", "logrotate.timer", "systemd-tmpfiles-clean.timer", "cron.service",
        "systemd-logind.service", "systemd-user-sessions.service", "systemd-binfmt.service", "proc-sys-fs-binfmt_misc.automount", "systemd-update-utmp.service",
        "systemd-update-utmp-runlevel.service", "systemd-ask-password-wall.path", "systemd-ask-password-console.path",
    ];

    /// <summary>The guest script is killed after this long (the unit then still runs after.sh and powers off).</summary>
    public const int ScriptTimeoutSeconds = 420;

    private const string TestUnit = "camstreamd-guest-test.service";

    private const string Init = """
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
        for m in $(cat /lib/modules/order); do insmod /lib/modules/$m.ko || echo "INIT: insmod $m failed"; done
        mkdir -p /lower /rw /newroot
        mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000,cache=loose hostroot /lower || echo "INIT: mounting the host root failed"
        # The upper layer: everything the guest writes (the installed package, /etc edits) lives in RAM.
        mount -t tmpfs -o mode=0755 upper /rw
        mkdir -p /rw/upper /rw/work
        mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || { echo "INIT: mounting the overlay failed"; poweroff -f; }
        # systemd-tmpfiles empties /tmp at boot: on the overlay that is a whiteout per host file (slow over 9p).
        mount -t tmpfs -o mode=1777 tmp /newroot/tmp
        SD=/newroot/etc/systemd/system
        # The host's enabled services are not the guest's business (rm on the overlay leaves whiteouts).
        rm -f $SD/*.wants/*
        for u in @@MASKED@@; do ln -sf /dev/null $SD/$u; done
        # systemd-firstboot would prompt on the console for a machine without an id.
        cat /proc/sys/kernel/random/uuid | tr -d - > /newroot/etc/machine-id
        mkdir -p /newroot@@OUT@@
        mount -t 9p -o rw,trans=virtio,version=9p2000.L,msize=512000 guestout /newroot@@OUT@@ || echo "INIT: mounting guestout failed"
        cat > $SD/@@UNIT@@ <<'UNIT_EOF'
        [Unit]
        Description=camstreamd guest test script
        After=multi-user.target

        [Service]
        Type=simple
        ExecStart=/bin/sh -c 'echo "GUEST-SCRIPT-START $(cut -d" " -f1 /proc/uptime)" > /dev/console; timeout -k 10 @@SCRIPT_TIMEOUT@@ /bin/sh @@OUT@@/script.sh > @@OUT@@/script.log 2>&1; rc=$?; [ -f @@OUT@@/after.sh ] && timeout -k 5 90 /bin/sh @@OUT@@/after.sh > @@OUT@@/after.log 2>&1; echo "GUEST-EXIT $rc" > /dev/console; sync; systemctl poweroff --force --force'
        UNIT_EOF
        mkdir -p $SD/multi-user.target.wants
        ln -sf ../@@UNIT@@ $SD/multi-user.target.wants/@@UNIT@@
        echo "INIT: switching to systemd on the overlay root"
        mount --move /dev /newroot/dev
        umount /proc /sys
        exec switch_root /newroot /lib/systemd/systemd
        """;

    /// <summary>
    /// Options for a systemd guest running <paramref name="guestScript"/> (POSIX sh, as root, in a
    /// systemd service after boot; <see cref="OutputDirectory"/> is the read-write share).
    /// </summary>
    public static QemuGuestOptions Options(string guestScript)
    {
        // The guest boots the host's own /: systemd and udev (device groups on /dev/video*) must be installed here.
        foreach (var (file, package) in new[] { ("/lib/systemd/systemd", "systemd"), ("/lib/systemd/systemd-udevd", "udev") })
        {
            if (!File.Exists(file))
            {
                throw new InvalidOperationException($"{file} is missing: install the Debian package {package} (the systemd guest boots the host's own root)");
            }
        }

        return new(guestScript)
        {
            Init = Init
                .Replace("@@MASKED@@", string.Join(' ', MaskedUnits), StringComparison.Ordinal)
                .Replace("@@UNIT@@", TestUnit, StringComparison.Ordinal)
                .Replace("@@OUT@@", OutputDirectory, StringComparison.Ordinal)
                .Replace("@@SCRIPT_TIMEOUT@@", ScriptTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            InitramfsModules = [.. QemuGuestOptions.NinePModules, "overlay"],
            // systemd.firstboot=off as well as the machine id: a prompt on ttyS0 would hang the boot.
            KernelCommandLine = "systemd.firstboot=off",
            // Booting systemd under TCG took 30 s idle and up to 165 s on a loaded machine; then the
            // script's own limit and after.sh's 90 s.
            Timeout = TimeSpan.FromSeconds(720),
            // The tmpfs upper layer holds the installed package (the self-contained .NET runtime).
            MemoryMiB = 3072,
        };
    }
}
