using System.Net;
using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;
using CamStreamd.Rtsp;

namespace CamStreamd.Tests.Interop.Libc;

/// <summary>
/// <c>struct mmsghdr</c>, <c>struct iovec</c>, the send flags, the <c>sockaddr_in</c>/<c>sockaddr_in6</c>
/// bytes the batch sender writes and its <c>UDP_SEGMENT</c> control message, against glibc's headers: a C probe compiled for this machine and
/// for arm64 (run under qemu-aarch64-static).
/// </summary>
public sealed unsafe class SendMMsgLayoutTests
{
    private const string Probe = """
        #define _GNU_SOURCE
        #include <stdio.h>
        #include <stddef.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <sys/uio.h>
        #include <netinet/in.h>
        #include <netinet/udp.h>
        #include <stdint.h>
        #include <arpa/inet.h>
        #define OFF(t, f) printf("offsetof." #t "." #f " %zu\n", offsetof(struct t, f))
        static void dump(const char *name, const void *p, size_t n)
        {
            printf("%s ", name);
            for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)p)[i]);
            printf("\n");
        }
        int main(void)
        {
            printf("sizeof.mmsghdr %zu\nsizeof.iovec %zu\n", sizeof(struct mmsghdr), sizeof(struct iovec));
            printf("offsetof.mmsghdr.msg_hdr.msg_name %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_name));
            printf("offsetof.mmsghdr.msg_hdr.msg_namelen %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_namelen));
            printf("offsetof.mmsghdr.msg_hdr.msg_iov %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_iov));
            printf("offsetof.mmsghdr.msg_hdr.msg_iovlen %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_iovlen));
            printf("offsetof.mmsghdr.msg_hdr.msg_control %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_control));
            printf("offsetof.mmsghdr.msg_hdr.msg_controllen %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_controllen));
            printf("offsetof.mmsghdr.msg_hdr.msg_flags %zu\n", offsetof(struct mmsghdr, msg_hdr.msg_flags));
            OFF(mmsghdr, msg_len); OFF(iovec, iov_len);
            printf("MSG_DONTWAIT 0x%x\nMSG_NOSIGNAL 0x%x\n", MSG_DONTWAIT, MSG_NOSIGNAL);

            struct sockaddr_in a4;
            memset(&a4, 0, sizeof a4);
            a4.sin_family = AF_INET;
            a4.sin_port = htons(5004);
            inet_pton(AF_INET, "192.0.2.7", &a4.sin_addr);
            dump("bytes.sockaddr_in", &a4, sizeof a4);
            struct sockaddr_in6 a6;
            memset(&a6, 0, sizeof a6);
            a6.sin6_family = AF_INET6;
            a6.sin6_port = htons(5006);
            inet_pton(AF_INET6, "2001:db8::7", &a6.sin6_addr);
            dump("bytes.sockaddr_in6", &a6, sizeof a6);

            /* A UDP_SEGMENT control message for 1222-byte segments, as the kernel reads it. */
            union { char buf[CMSG_SPACE(sizeof(uint16_t))]; struct cmsghdr align; } control;
            memset(&control, 0, sizeof control);
            struct msghdr msg;
            memset(&msg, 0, sizeof msg);
            msg.msg_control = control.buf;
            msg.msg_controllen = sizeof control.buf;
            struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
            cmsg->cmsg_level = SOL_UDP;
            cmsg->cmsg_type = UDP_SEGMENT;
            cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
            *(uint16_t *)CMSG_DATA(cmsg) = 1222;
            printf("CMSG_SPACE.uint16 %zu\n", (size_t)CMSG_SPACE(sizeof(uint16_t)));
            dump("bytes.udp_segment", control.buf, sizeof control.buf);
            return 0;
        }
        """;

    [Theory]
    [InlineData(CProbeTarget.Native)]
    [InlineData(CProbeTarget.Aarch64)]
    public void Structures_flags_and_addresses_match_glibc(CProbeTarget target)
    {
        var probe = CLayoutProbe.Run(Probe, target);
        Assert.Equal(sizeof(MMsgHdr).ToString(), probe["sizeof.mmsghdr"]);
        Assert.Equal(sizeof(IoVec).ToString(), probe["sizeof.iovec"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.Name)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_name"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.NameLength)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_namelen"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.Iov)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_iov"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.IovLength)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_iovlen"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.Control)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_control"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.ControlLength)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_controllen"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.Flags)).ToString(), probe["offsetof.mmsghdr.msg_hdr.msg_flags"]);
        Assert.Equal(Marshal.OffsetOf<MMsgHdr>(nameof(MMsgHdr.Length)).ToString(), probe["offsetof.mmsghdr.msg_len"]);
        Assert.Equal(Marshal.OffsetOf<IoVec>(nameof(IoVec.Length)).ToString(), probe["offsetof.iovec.iov_len"]);
        Assert.Equal($"0x{LibcNative.MSG_DONTWAIT:x}", probe["MSG_DONTWAIT"]);
        Assert.Equal($"0x{LibcNative.MSG_NOSIGNAL:x}", probe["MSG_NOSIGNAL"]);

        Assert.Equal(probe["bytes.sockaddr_in"], Sockaddr(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5004)));
        Assert.Equal(probe["bytes.sockaddr_in6"], Sockaddr(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5006)));

        Assert.Equal(SegmentedDatagrams.ControlSpace.ToString(), probe["CMSG_SPACE.uint16"]);
        Assert.Equal(probe["bytes.udp_segment"], SegmentControl(1222));
    }

    // The control message SegmentedDatagrams puts on a run of two 1222-byte datagrams.
    private static string SegmentControl(int size)
    {
        var iov = stackalloc IoVec[2];
        iov[0].Length = (nuint)size;
        iov[1].Length = (nuint)size;
        var messages = stackalloc MMsgHdr[2];
        var segments = stackalloc int[2];
        var control = stackalloc byte[2 * SegmentedDatagrams.ControlSpace];
        Assert.Equal(1, SegmentedDatagrams.Build(iov, 2, null, 0, messages, segments, control, segment: true));
        Assert.True(messages[0].Control == control, "the run's message carries no control message");
        return Convert.ToHexStringLower(new ReadOnlySpan<byte>(control, (int)messages[0].ControlLength));
    }

    private static string Sockaddr(IPEndPoint endPoint)
    {
        var bytes = new byte[32];
        var length = UdpBatchSender.WriteSockaddr(endPoint, bytes);
        return Convert.ToHexStringLower(bytes, 0, (int)length);
    }
}
