namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>A host directory exported to the guest over virtio-9p under <paramref name="Tag"/>.</summary>
/// <param name="Tag">The mount tag (<c>mount -t 9p TAG ...</c> in the guest).</param>
/// <param name="HostPath">The host directory.</param>
/// <param name="ReadOnly">Export read-only.</param>
internal sealed record QemuShare(string Tag, string HostPath, bool ReadOnly);
