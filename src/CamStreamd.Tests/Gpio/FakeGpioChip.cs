using CamStreamd.Interop.Gpio;

namespace CamStreamd.Tests.Gpio;

/// <summary>
/// A GPIO chip at the system-call boundary (Debian kernels have no gpio-sim): records each call
/// with the manual clock's time and the line's physical level, and fails like the kernel would.
/// </summary>
internal sealed class FakeGpioChip : IGpioDriver
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private bool _activeLow;

    public FakeGpioChip(TimeProvider time, string path = "/dev/gpiochip0", uint lines = 64)
    {
        _time = time;
        _start = time.GetTimestamp();
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    public uint Lines { get; }

    /// <summary>"t=MS op detail" entries in call order.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>The last request the driver received.</summary>
    public gpio_v2_line_request LastRequest { get; private set; }

    /// <summary>Lines another consumer holds: requesting one fails with EBUSY, as the kernel does.</summary>
    public HashSet<uint> Busy { get; } = [];

    /// <summary>When set, GPIO_V2_LINE_SET_VALUES_IOCTL fails with this errno (e.g. EIO of an unplugged expander).</summary>
    public int FailSetErrno { get; set; }

    /// <summary>Every request the driver received, in order.</summary>
    public List<gpio_v2_line_request> Requests { get; } = [];

    /// <summary>Every descriptor handed out: [0] the chip, [1] the line request.</summary>
    public List<GpioFileDescriptor> Handed { get; } = [];

    public GpioFileDescriptor OpenChip(string path)
    {
        if (path != Path)
        {
            throw GpioException.FromErrno($"GPIO chip {path}", GpioException.ENOENT);
        }

        Record("open", path);
        return Descriptor();
    }

    public unsafe gpiochip_info GetChipInfo(GpioFileDescriptor chip, string path)
    {
        Record("chipinfo", path);
        return new gpiochip_info { lines = Lines };
    }

    public GpioFileDescriptor GetLine(GpioFileDescriptor chip, ref gpio_v2_line_request request, string what)
    {
        unsafe
        {
            if (Busy.Contains(request.offsets[0]))
            {
                throw GpioException.FromErrno(what, GpioException.EBUSY);
            }
        }

        LastRequest = request;
        Requests.Add(request);
        _activeLow = (request.config.flags & GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW) != 0;
        var initial = request.config.attrs[0].attr.value & 1;
        Record("request", $"level={Level(initial != 0)}");
        return Descriptor();
    }

    public void SetValues(GpioFileDescriptor lines, gpio_v2_line_values values, string what)
    {
        Assert.Equal(1UL, values.mask);
        if (FailSetErrno != 0)
        {
            throw GpioException.FromErrno(what, FailSetErrno);
        }

        Record("set", $"level={Level((values.bits & 1) != 0)}");
    }

    private int Level(bool active) => active ^ _activeLow ? 1 : 0;

    private void Record(string operation, string detail) =>
        Calls.Add($"t={_time.GetElapsedTime(_start).TotalMilliseconds:0} {operation} {detail}");

    private GpioFileDescriptor Descriptor()
    {
        // A real descriptor (of /dev/null) for the SafeHandle to own and close.
        var fd = GpioNative.open("/dev/null", GpioConstants.O_RDWR | GpioConstants.O_CLOEXEC);
        Assert.True(fd >= 0);
        var handle = new GpioFileDescriptor(fd);
        Handed.Add(handle);
        return handle;
    }
}
