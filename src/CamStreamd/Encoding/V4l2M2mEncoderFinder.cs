using System.Runtime.InteropServices;

namespace CamStreamd.Encoding;

/// <summary>
/// Finds a V4L2 memory-to-memory H.264 encoder: a <c>/dev/video*</c> node whose device caps
/// include VIDEO_M2M(_MPLANE) and whose CAPTURE queue (the encoded side of an M2M encoder)
/// lists the H264 fourcc. FFmpeg's h264_v4l2m2m scans the same way when it opens; this is only
/// for the probe's reason text. Private to the encoder: two ioctls through libc, nothing else.
/// </summary>
internal static partial class V4l2M2mEncoderFinder
{
    // videodev2.h: _IOR('V', 0, struct v4l2_capability) with sizeof 104.
    private const uint VIDIOC_QUERYCAP = 0x80685600;

    // videodev2.h: _IOWR('V', 2, struct v4l2_fmtdesc) with sizeof 64.
    private const uint VIDIOC_ENUM_FMT = 0xC0405602;

    private const uint V4L2_CAP_VIDEO_M2M_MPLANE = 0x00004000;
    private const uint V4L2_CAP_VIDEO_M2M = 0x00008000;
    private const uint V4L2_CAP_DEVICE_CAPS = 0x80000000;
    private const uint V4L2_BUF_TYPE_VIDEO_CAPTURE = 1;
    private const uint V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE = 9;

    // v4l2_fourcc('H', '2', '6', '4').
    private const uint V4L2_PIX_FMT_H264 = 0x34363248;

    private const int O_RDWR = 2;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;

    // Formats listed per queue are few; the cap only bounds a misbehaving driver.
    private const int MaxFormats = 64;

    /// <summary>The result of a scan.</summary>
    /// <param name="Device">The first M2M H.264 encoder node, or null.</param>
    /// <param name="NodesChecked">How many <c>/dev/video*</c> nodes were looked at.</param>
    public readonly record struct ScanResult(string? Device, int NodesChecked);

    /// <summary>Scans <paramref name="directory"/> for <c>video*</c> nodes.</summary>
    public static ScanResult Find(string directory = "/dev")
    {
        string[] nodes;
        try
        {
            nodes = Directory.GetFiles(directory, "video*");
        }
        catch (IOException)
        {
            return new(null, 0);
        }

        Array.Sort(nodes, StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            if (IsH264Encoder(node))
            {
                return new(node, nodes.Length);
            }
        }

        return new(null, nodes.Length);
    }

    private static unsafe bool IsH264Encoder(string node)
    {
        var fd = open(node, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            var cap = stackalloc byte[104];
            if (ioctl(fd, VIDIOC_QUERYCAP, cap) < 0)
            {
                return false;
            }

            // v4l2_capability: capabilities at offset 84, device_caps at 88.
            var capabilities = *(uint*)(cap + 84);
            var caps = (capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? *(uint*)(cap + 88) : capabilities;
            if ((caps & (V4L2_CAP_VIDEO_M2M | V4L2_CAP_VIDEO_M2M_MPLANE)) == 0)
            {
                return false;
            }

            var type = (caps & V4L2_CAP_VIDEO_M2M_MPLANE) != 0 ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE : V4L2_BUF_TYPE_VIDEO_CAPTURE;
            var desc = stackalloc byte[64];
            for (uint index = 0; index < MaxFormats; index++)
            {
                new Span<byte>(desc, 64).Clear();

                // v4l2_fmtdesc: index at 0, type at 4, pixelformat at 44.
                *(uint*)desc = index;
                *(uint*)(desc + 4) = type;
                if (ioctl(fd, VIDIOC_ENUM_FMT, desc) < 0)
                {
                    return false;
                }

                if (*(uint*)(desc + 44) == V4L2_PIX_FMT_H264)
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static unsafe partial int ioctl(int fd, nuint request, void* argp);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
