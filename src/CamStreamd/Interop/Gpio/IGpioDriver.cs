namespace CamStreamd.Interop.Gpio;

/// <summary>
/// The kernel boundary of the GPIO character device: each member is one system call. The real
/// one is <see cref="GpioKernelDriver"/>; tests put a fake chip here (Debian kernels lack gpio-sim).
/// </summary>
internal interface IGpioDriver
{
    /// <summary>open(path, O_RDWR | O_CLOEXEC) of a chip node.</summary>
    /// <exception cref="GpioException">The node is missing or cannot be opened.</exception>
    GpioFileDescriptor OpenChip(string path);

    /// <summary>GPIO_GET_CHIPINFO_IOCTL.</summary>
    gpiochip_info GetChipInfo(GpioFileDescriptor chip, string path);

    /// <summary>GPIO_V2_GET_LINE_IOCTL; returns the line-request descriptor the kernel put in <c>request.fd</c>.</summary>
    GpioFileDescriptor GetLine(GpioFileDescriptor chip, ref gpio_v2_line_request request, string what);

    /// <summary>GPIO_V2_LINE_SET_VALUES_IOCTL on a line request.</summary>
    void SetValues(GpioFileDescriptor lines, gpio_v2_line_values values, string what);
}
