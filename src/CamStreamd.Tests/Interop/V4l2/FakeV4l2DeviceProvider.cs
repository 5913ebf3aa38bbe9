using CamStreamd.Interop.Libc;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Tests.Interop.V4l2;

/// <summary>Hands out <see cref="FakeV4l2Device"/>s; a path without a factory is missing (ENOENT).</summary>
internal sealed class FakeV4l2DeviceProvider : IV4l2DeviceProvider
{
    private readonly Dictionary<string, Func<FakeV4l2Device>> _devices = new(StringComparer.Ordinal);

    public List<FakeV4l2Device> Opened { get; } = [];

    public int OpenAttempts { get; private set; }

    /// <summary>Makes <paramref name="path"/> present (null: absent).</summary>
    public void Set(string path, Func<FakeV4l2Device>? factory)
    {
        lock (_devices)
        {
            if (factory is null)
            {
                _devices.Remove(path);
            }
            else
            {
                _devices[path] = factory;
            }
        }
    }

    public IReadOnlyList<string> ListDevices()
    {
        lock (_devices)
        {
            return [.. _devices.Keys.Order(StringComparer.Ordinal)];
        }
    }

    public IV4l2Device Open(string path)
    {
        lock (_devices)
        {
            OpenAttempts++;
            if (!_devices.TryGetValue(path, out var factory))
            {
                throw new LibcException(Errno.ENOENT, "open", path);
            }

            var device = factory();
            lock (Opened)
            {
                Opened.Add(device);
            }

            return device;
        }
    }
}
