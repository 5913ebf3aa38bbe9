namespace CamStreamd.Interop.Libc;

/// <summary><c>struct iovec</c> (sys/uio.h, LP64): a base pointer and a <c>size_t</c> length, 16 bytes.</summary>
internal unsafe struct IoVec
{
    /// <summary><c>iov_base</c>.</summary>
    public void* Base;

    /// <summary><c>iov_len</c>.</summary>
    public nuint Length;
}
