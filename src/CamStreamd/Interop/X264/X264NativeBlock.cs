using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.X264;

/// <summary>
/// A zeroed block of native memory for an x264 struct we do not lay out ourselves
/// (<c>x264_param_t</c>, <c>x264_picture_t</c>); freed with <see cref="NativeMemory.Free"/>.
/// </summary>
internal sealed unsafe class X264NativeBlock : SafeHandleZeroOrMinusOneIsInvalid
{
    private X264NativeBlock(int size)
        : base(ownsHandle: true)
    {
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)size));
        Size = size;
    }

    /// <summary>Bytes in the block.</summary>
    public int Size { get; }

    /// <summary>Allocates <paramref name="size"/> zeroed bytes.</summary>
    public static X264NativeBlock Allocate(int size) => new(size);

    /// <summary>Reads the <c>int</c> at <paramref name="offset"/>.</summary>
    public int ReadInt32(int offset) => *(int*)(Address(offset, sizeof(int)));

    /// <summary>Writes the <c>int</c> at <paramref name="offset"/>.</summary>
    public void WriteInt32(int offset, int value) => *(int*)Address(offset, sizeof(int)) = value;

    /// <summary>Reads the <c>int64_t</c> at <paramref name="offset"/>.</summary>
    public long ReadInt64(int offset) => *(long*)Address(offset, sizeof(long));

    /// <summary>Writes the <c>int64_t</c> at <paramref name="offset"/>.</summary>
    public void WriteInt64(int offset, long value) => *(long*)Address(offset, sizeof(long)) = value;

    /// <summary>Writes the pointer at <paramref name="offset"/>.</summary>
    public void WritePointer(int offset, void* value) => *(void**)Address(offset, sizeof(nint)) = value;

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }

    private byte* Address(int offset, int length)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + length, Size);
        return (byte*)handle + offset;
    }
}
