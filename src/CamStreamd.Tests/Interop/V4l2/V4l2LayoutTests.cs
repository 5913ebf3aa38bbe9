using System.Globalization;
using System.Runtime.CompilerServices;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Tests.Interop.V4l2;

/// <summary>
/// Compiles a probe with gcc against <c>linux/videodev2.h</c> and compares struct sizes, field
/// offsets, request codes and constants with the C# transcriptions. Needs gcc and linux-libc-dev.
/// </summary>
public sealed class V4l2LayoutTests : IDisposable
{
    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <linux/videodev2.h>
        #define OFF(t, f) printf(#t "." #f " %zu\n", offsetof(struct t, f))
        #define SZ(t) printf("sizeof." #t " %zu\n", sizeof(struct t))
        #define C(x) printf("const." #x " %lu\n", (unsigned long)(x))
        int main(void)
        {
            SZ(v4l2_capability); OFF(v4l2_capability, card); OFF(v4l2_capability, bus_info); OFF(v4l2_capability, version); OFF(v4l2_capability, capabilities); OFF(v4l2_capability, device_caps);
            SZ(v4l2_fmtdesc); OFF(v4l2_fmtdesc, flags); OFF(v4l2_fmtdesc, description); OFF(v4l2_fmtdesc, pixelformat);
            SZ(v4l2_frmsizeenum); OFF(v4l2_frmsizeenum, type); OFF(v4l2_frmsizeenum, discrete); OFF(v4l2_frmsizeenum, stepwise.step_height);
            SZ(v4l2_frmivalenum); OFF(v4l2_frmivalenum, type); OFF(v4l2_frmivalenum, discrete); OFF(v4l2_frmivalenum, stepwise.max); OFF(v4l2_frmivalenum, stepwise.step);
            SZ(v4l2_format); OFF(v4l2_format, fmt);
            SZ(v4l2_pix_format); OFF(v4l2_pix_format, bytesperline); OFF(v4l2_pix_format, sizeimage); OFF(v4l2_pix_format, xfer_func);
            SZ(v4l2_pix_format_mplane); OFF(v4l2_pix_format_mplane, plane_fmt); OFF(v4l2_pix_format_mplane, num_planes); OFF(v4l2_pix_format_mplane, xfer_func);
            SZ(v4l2_plane_pix_format); OFF(v4l2_plane_pix_format, bytesperline);
            SZ(v4l2_streamparm); OFF(v4l2_streamparm, parm);
            SZ(v4l2_captureparm); OFF(v4l2_captureparm, timeperframe); OFF(v4l2_captureparm, readbuffers);
            SZ(v4l2_requestbuffers); OFF(v4l2_requestbuffers, capabilities); OFF(v4l2_requestbuffers, flags);
            SZ(v4l2_buffer); OFF(v4l2_buffer, flags); OFF(v4l2_buffer, timestamp); OFF(v4l2_buffer, sequence); OFF(v4l2_buffer, memory); OFF(v4l2_buffer, m); OFF(v4l2_buffer, length); OFF(v4l2_buffer, request_fd);
            SZ(v4l2_plane); OFF(v4l2_plane, length); OFF(v4l2_plane, m); OFF(v4l2_plane, data_offset);
            SZ(v4l2_exportbuffer); OFF(v4l2_exportbuffer, fd);
            C(VIDIOC_QUERYCAP); C(VIDIOC_ENUM_FMT); C(VIDIOC_ENUM_FRAMESIZES); C(VIDIOC_ENUM_FRAMEINTERVALS);
            C(VIDIOC_G_FMT); C(VIDIOC_S_FMT); C(VIDIOC_G_PARM); C(VIDIOC_S_PARM); C(VIDIOC_REQBUFS); C(VIDIOC_QUERYBUF);
            C(VIDIOC_QBUF); C(VIDIOC_DQBUF); C(VIDIOC_EXPBUF); C(VIDIOC_STREAMON); C(VIDIOC_STREAMOFF);
            C(V4L2_PIX_FMT_NV12); C(V4L2_PIX_FMT_NV12M); C(V4L2_PIX_FMT_YUV420); C(V4L2_PIX_FMT_YUV420M); C(V4L2_PIX_FMT_YUYV);
            C(V4L2_PIX_FMT_MJPEG); C(V4L2_PIX_FMT_JPEG); C(V4L2_PIX_FMT_H264);
            C(V4L2_CAP_VIDEO_CAPTURE); C(V4L2_CAP_VIDEO_CAPTURE_MPLANE); C(V4L2_CAP_STREAMING); C(V4L2_CAP_DEVICE_CAPS); C(V4L2_CAP_TIMEPERFRAME);
            C(V4L2_BUF_TYPE_VIDEO_CAPTURE); C(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE); C(V4L2_MEMORY_MMAP); C(V4L2_FIELD_NONE);
            C(V4L2_BUF_FLAG_ERROR); C(V4L2_BUF_FLAG_TIMESTAMP_MASK); C(V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC); C(V4L2_FMT_FLAG_COMPRESSED);
            C(V4L2_FRMSIZE_TYPE_DISCRETE); C(V4L2_FRMSIZE_TYPE_CONTINUOUS); C(V4L2_FRMSIZE_TYPE_STEPWISE); C(VIDEO_MAX_PLANES);
            return 0;
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-v4l2probe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public unsafe void Structs_match_videodev2_h()
    {
        var p = RunProbe();
        Size<V4l2Capability>(p, "v4l2_capability");
        var cap = default(V4l2Capability);
        Off(p, "v4l2_capability.card", &cap, cap.Card);
        Off(p, "v4l2_capability.bus_info", &cap, cap.BusInfo);
        Off(p, "v4l2_capability.version", &cap, &cap.Version);
        Off(p, "v4l2_capability.capabilities", &cap, &cap.Capabilities);
        Off(p, "v4l2_capability.device_caps", &cap, &cap.DeviceCaps);

        Size<V4l2FmtDesc>(p, "v4l2_fmtdesc");
        var desc = default(V4l2FmtDesc);
        Off(p, "v4l2_fmtdesc.flags", &desc, &desc.Flags);
        Off(p, "v4l2_fmtdesc.description", &desc, desc.Description);
        Off(p, "v4l2_fmtdesc.pixelformat", &desc, &desc.PixelFormat);

        Size<V4l2FrameSizeEntry>(p, "v4l2_frmsizeenum");
        var size = default(V4l2FrameSizeEntry);
        Off(p, "v4l2_frmsizeenum.type", &size, &size.Type);
        Off(p, "v4l2_frmsizeenum.discrete", &size, &size.Width);
        Off(p, "v4l2_frmsizeenum.stepwise.step_height", &size, &size.StepHeight);

        Size<V4l2FrameIntervalEntry>(p, "v4l2_frmivalenum");
        var ival = default(V4l2FrameIntervalEntry);
        Off(p, "v4l2_frmivalenum.type", &ival, &ival.Type);
        Off(p, "v4l2_frmivalenum.discrete", &ival, &ival.Discrete);
        Off(p, "v4l2_frmivalenum.stepwise.max", &ival, &ival.Max);
        Off(p, "v4l2_frmivalenum.stepwise.step", &ival, &ival.Step);

        Size<V4l2Format>(p, "v4l2_format");
        var format = default(V4l2Format);
        Off(p, "v4l2_format.fmt", &format, &format.Pix);

        Size<V4l2PixFormat>(p, "v4l2_pix_format");
        var pix = default(V4l2PixFormat);
        Off(p, "v4l2_pix_format.bytesperline", &pix, &pix.BytesPerLine);
        Off(p, "v4l2_pix_format.sizeimage", &pix, &pix.SizeImage);
        Off(p, "v4l2_pix_format.xfer_func", &pix, &pix.TransferFunction);

        Size<V4l2PixFormatMplane>(p, "v4l2_pix_format_mplane");
        var mp = default(V4l2PixFormatMplane);
        Off(p, "v4l2_pix_format_mplane.plane_fmt", &mp, &mp.PlaneFormats);
        Off(p, "v4l2_pix_format_mplane.num_planes", &mp, &mp.NumPlanes);
        Off(p, "v4l2_pix_format_mplane.xfer_func", &mp, &mp.TransferFunction);
        Size<V4l2PlanePixFormat>(p, "v4l2_plane_pix_format");
        Assert.Equal(8 * p["sizeof.v4l2_plane_pix_format"], Unsafe.SizeOf<V4l2PlanePixFormats>());

        Size<V4l2StreamParm>(p, "v4l2_streamparm");
        var parm = default(V4l2StreamParm);
        Off(p, "v4l2_streamparm.parm", &parm, &parm.Capture);
        Size<V4l2CaptureParm>(p, "v4l2_captureparm");
        var capture = default(V4l2CaptureParm);
        Off(p, "v4l2_captureparm.timeperframe", &capture, &capture.TimePerFrame);
        Off(p, "v4l2_captureparm.readbuffers", &capture, &capture.ReadBuffers);

        Size<V4l2RequestBuffers>(p, "v4l2_requestbuffers");
        var request = default(V4l2RequestBuffers);
        Off(p, "v4l2_requestbuffers.capabilities", &request, &request.Capabilities);
        Off(p, "v4l2_requestbuffers.flags", &request, &request.Flags);

        Size<V4l2Buffer>(p, "v4l2_buffer");
        var buffer = default(V4l2Buffer);
        Off(p, "v4l2_buffer.flags", &buffer, &buffer.Flags);
        Off(p, "v4l2_buffer.timestamp", &buffer, &buffer.Timestamp);
        Off(p, "v4l2_buffer.sequence", &buffer, &buffer.Sequence);
        Off(p, "v4l2_buffer.memory", &buffer, &buffer.Memory);
        Off(p, "v4l2_buffer.m", &buffer, &buffer.Planes);
        Off(p, "v4l2_buffer.length", &buffer, &buffer.Length);
        Off(p, "v4l2_buffer.request_fd", &buffer, &buffer.RequestFd);

        Size<V4l2Plane>(p, "v4l2_plane");
        var plane = default(V4l2Plane);
        Off(p, "v4l2_plane.length", &plane, &plane.Length);
        Off(p, "v4l2_plane.m", &plane, &plane.MemOffset);
        Off(p, "v4l2_plane.data_offset", &plane, &plane.DataOffset);

        Size<V4l2ExportBuffer>(p, "v4l2_exportbuffer");
        var export = default(V4l2ExportBuffer);
        Off(p, "v4l2_exportbuffer.fd", &export, &export.Fd);
    }

    [Fact]
    public void Request_codes_and_constants_match_videodev2_h()
    {
        var p = RunProbe();
        Const(p, "VIDIOC_QUERYCAP", V4l2Ioctl.QueryCap);
        Const(p, "VIDIOC_ENUM_FMT", V4l2Ioctl.EnumFmt);
        Const(p, "VIDIOC_ENUM_FRAMESIZES", V4l2Ioctl.EnumFrameSizes);
        Const(p, "VIDIOC_ENUM_FRAMEINTERVALS", V4l2Ioctl.EnumFrameIntervals);
        Const(p, "VIDIOC_G_FMT", V4l2Ioctl.GFmt);
        Const(p, "VIDIOC_S_FMT", V4l2Ioctl.SFmt);
        Const(p, "VIDIOC_G_PARM", V4l2Ioctl.GParm);
        Const(p, "VIDIOC_S_PARM", V4l2Ioctl.SParm);
        Const(p, "VIDIOC_REQBUFS", V4l2Ioctl.ReqBufs);
        Const(p, "VIDIOC_QUERYBUF", V4l2Ioctl.QueryBuf);
        Const(p, "VIDIOC_QBUF", V4l2Ioctl.QBuf);
        Const(p, "VIDIOC_DQBUF", V4l2Ioctl.DQBuf);
        Const(p, "VIDIOC_EXPBUF", V4l2Ioctl.ExpBuf);
        Const(p, "VIDIOC_STREAMON", V4l2Ioctl.StreamOn);
        Const(p, "VIDIOC_STREAMOFF", V4l2Ioctl.StreamOff);
        Const(p, "V4L2_PIX_FMT_NV12", V4l2PixelFormats.Nv12);
        Const(p, "V4L2_PIX_FMT_NV12M", V4l2PixelFormats.Nv12M);
        Const(p, "V4L2_PIX_FMT_YUV420", V4l2PixelFormats.Yuv420);
        Const(p, "V4L2_PIX_FMT_YUV420M", V4l2PixelFormats.Yuv420M);
        Const(p, "V4L2_PIX_FMT_YUYV", V4l2PixelFormats.Yuyv);
        Const(p, "V4L2_PIX_FMT_MJPEG", V4l2PixelFormats.Mjpeg);
        Const(p, "V4L2_PIX_FMT_JPEG", V4l2PixelFormats.Jpeg);
        Const(p, "V4L2_PIX_FMT_H264", V4l2PixelFormats.H264);
        Const(p, "V4L2_CAP_VIDEO_CAPTURE", V4l2Constants.CapVideoCapture);
        Const(p, "V4L2_CAP_VIDEO_CAPTURE_MPLANE", V4l2Constants.CapVideoCaptureMplane);
        Const(p, "V4L2_CAP_STREAMING", V4l2Constants.CapStreaming);
        Const(p, "V4L2_CAP_DEVICE_CAPS", V4l2Constants.CapDeviceCaps);
        Const(p, "V4L2_CAP_TIMEPERFRAME", V4l2Constants.CapTimePerFrame);
        Const(p, "V4L2_BUF_TYPE_VIDEO_CAPTURE", V4l2Constants.BufTypeVideoCapture);
        Const(p, "V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE", V4l2Constants.BufTypeVideoCaptureMplane);
        Const(p, "V4L2_MEMORY_MMAP", V4l2Constants.MemoryMmap);
        Const(p, "V4L2_FIELD_NONE", V4l2Constants.FieldNone);
        Const(p, "V4L2_BUF_FLAG_ERROR", V4l2Constants.BufFlagError);
        Const(p, "V4L2_BUF_FLAG_TIMESTAMP_MASK", V4l2Constants.BufFlagTimestampMask);
        Const(p, "V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC", V4l2Constants.BufFlagTimestampMonotonic);
        Const(p, "V4L2_FMT_FLAG_COMPRESSED", V4l2Constants.FmtFlagCompressed);
        Const(p, "V4L2_FRMSIZE_TYPE_DISCRETE", V4l2Constants.FrmTypeDiscrete);
        Const(p, "V4L2_FRMSIZE_TYPE_CONTINUOUS", V4l2Constants.FrmTypeContinuous);
        Const(p, "V4L2_FRMSIZE_TYPE_STEPWISE", V4l2Constants.FrmTypeStepwise);
        Const(p, "VIDEO_MAX_PLANES", V4l2Constants.VideoMaxPlanes);
    }

    private static void Size<T>(Dictionary<string, long> probe, string name)
        where T : unmanaged =>
        Assert.True(probe["sizeof." + name] == Unsafe.SizeOf<T>(), $"sizeof(struct {name}): header {probe["sizeof." + name]}, C# {Unsafe.SizeOf<T>()}");

    private static unsafe void Off(Dictionary<string, long> probe, string name, void* structure, void* field)
    {
        var actual = (long)((byte*)field - (byte*)structure);
        Assert.True(probe[name] == actual, $"offsetof({name}): header {probe[name]}, C# {actual}");
    }

    private static void Const(Dictionary<string, long> probe, string name, long value) =>
        Assert.True(probe["const." + name] == value, $"{name}: header 0x{probe["const." + name]:X}, C# 0x{value:X}");

    private Dictionary<string, long> RunProbe()
    {
        var source = Path.Combine(_directory, "probe.c");
        var binary = Path.Combine(_directory, "probe");
        File.WriteAllText(source, Probe);
        var compile = PeerProcess.Run("gcc", ["-std=gnu11", "-w", "-o", binary, source], "gcc");
        Assert.True(
            compile.ExitCode == 0,
            compile.StandardError.Contains("No such file", StringComparison.Ordinal)
                ? $"linux/videodev2.h missing: install the Debian package linux-libc-dev.\n{compile.StandardError}"
                : $"gcc failed on the V4L2 layout probe:\n{compile.StandardError}");
        var run = PeerProcess.Run(binary, [], "(built by the test)");
        Assert.Equal(0, run.ExitCode);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            values[parts[0]] = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return values;
    }
}
