using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>
/// <c>struct mmsghdr</c> (sys/socket.h, LP64: x86-64 and arm64): one datagram of a
/// <c>sendmmsg</c> batch, a <c>struct msghdr</c> (56 bytes) followed by <c>msg_len</c>, which
/// the kernel sets to the bytes sent. 64 bytes; the layout test compares it with the C header.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct MMsgHdr
{
    /// <summary><c>msg_hdr.msg_name</c>: the destination <c>sockaddr</c>.</summary>
    [FieldOffset(0)]
    public void* Name;

    /// <summary><c>msg_hdr.msg_namelen</c>.</summary>
    [FieldOffset(8)]
    public uint NameLength;

    /// <summary><c>msg_hdr.msg_iov</c>.</summary>
    [FieldOffset(16)]
    public IoVec* Iov;

    /// <summary><c>msg_hdr.msg_iovlen</c> (<c>size_t</c>).</summary>
    [FieldOffset(24)]
    public nuint IovLength;

    /// <summary><c>msg_hdr.msg_control</c> (unused: null).</summary>
    [FieldOffset(32)]
    public void* Control;

    /// <summary><c>msg_hdr.msg_controllen</c>.</summary>
    [FieldOffset(40)]
    public nuint ControlLength;

    /// <summary><c>msg_hdr.msg_flags</c> (set by recvmsg only).</summary>
    [FieldOffset(48)]
    public int Flags;

    /// <summary><c>msg_len</c>: bytes sent, filled in by the kernel.</summary>
    [FieldOffset(56)]
    public uint Length;
}
