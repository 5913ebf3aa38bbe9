using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary><see cref="IGpioDriver"/> over the real system calls; every failure becomes a <see cref="GpioException"/> naming what failed.</summary>
internal sealed unsafe class GpioKernelDriver : IGpioDriver
{
    /// <summary>The one instance.</summary>
    public static readonly GpioKernelDriver Instance = new();

    /// <inheritdoc />
    public GpioFileDescriptor OpenChip(string path)
    {
        var fd = GpioNative.open(path, GpioConstants.O_RDWR | GpioConstants.O_CLOEXEC);
        if (fd < 0)
        {
            throw GpioException.FromErrno($"GPIO chip {path}", Marshal.GetLastPInvokeError());
        }

        return new GpioFileDescriptor(fd);
    }

    /// <inheritdoc />
    public gpiochip_info GetChipInfo(GpioFileDescriptor chip, string path)
    {
        gpiochip_info info = default;
        Ioctl(chip, GpioConstants.GPIO_GET_CHIPINFO_IOCTL, &info, $"GPIO chip {path}: GPIO_GET_CHIPINFO_IOCTL");
        return info;
    }

    /// <inheritdoc />
    public GpioFileDescriptor GetLine(GpioFileDescriptor chip, ref gpio_v2_line_request request, string what)
    {
        fixed (gpio_v2_line_request* p = &request)
        {
            Ioctl(chip, GpioConstants.GPIO_V2_GET_LINE_IOCTL, p, what);
        }

        return new GpioFileDescriptor(request.fd);
    }

    /// <inheritdoc />
    public void SetValues(GpioFileDescriptor lines, gpio_v2_line_values values, string what) =>
        Ioctl(lines, GpioConstants.GPIO_V2_LINE_SET_VALUES_IOCTL, &values, what);

    private static void Ioctl(GpioFileDescriptor fd, uint request, void* argument, string what)
    {
        var added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            if (GpioNative.ioctl(fd.Fd, request, argument) < 0)
            {
                throw GpioException.FromErrno(what, Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            if (added)
            {
                fd.DangerousRelease();
            }
        }
    }
}
