namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>
/// One guest run. By default the initramfs loads the virtio/9p modules, mounts the host's <c>/</c>
/// read-only (tag <c>hostroot</c>) with fresh proc, sys, devtmpfs and tmpfs <c>/tmp</c> and <c>/run</c>,
/// mounts the read-write output share at <c>/run/guest</c>, and runs <see cref="GuestScript"/> there
/// with <c>chroot</c> (stdout and stderr into <c>/run/guest/script.log</c>), then powers off.
/// A different boot (overlay root, systemd) replaces <see cref="Init"/>.
/// </summary>
/// <param name="GuestScript">A POSIX sh script run as root inside the guest's root.</param>
internal sealed record QemuGuestOptions(string GuestScript)
{
    /// <summary>The modules the default init loads, in order (under <c>/lib/modules/VERSION</c>, found by name).</summary>
    public static IReadOnlyList<string> NinePModules { get; } =
        ["virtio_ring", "virtio", "virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "netfs", "fscache", "9pnet", "9pnet_virtio", "9p"];

    /// <summary>Modules copied into the initramfs and loaded in this order (file list <c>/lib/modules/order</c>).</summary>
    public IReadOnlyList<string> InitramfsModules { get; init; } = NinePModules;

    /// <summary>The initramfs <c>/init</c> (busybox sh); null for the default described above.</summary>
    public string? Init { get; init; }

    /// <summary>Appended to <c>console=ttyS0 panic=-1 quiet</c>.</summary>
    public string KernelCommandLine { get; init; } = string.Empty;

    /// <summary>Extra shares beside <c>hostroot</c> and <c>guestout</c>.</summary>
    public IReadOnlyList<QemuShare> Shares { get; init; } = [];

    /// <summary>The guest is killed after this long.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Guest memory.</summary>
    public int MemoryMiB { get; init; } = 2048;

    /// <summary>Guest CPUs (TCG threads).</summary>
    public int Cpus { get; init; } = 2;
}
