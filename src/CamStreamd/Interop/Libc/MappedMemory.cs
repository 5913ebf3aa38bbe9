using System.Buffers;

namespace CamStreamd.Interop.Libc;

/// <summary>
/// A <see cref="MemoryManager{T}"/> over a <see cref="MemoryMappingHandle"/>, so a mapped driver
/// buffer can travel as <see cref="Memory{T}"/> in a <c>VideoFrame</c>. Disposing unmaps; the owner
/// makes sure nobody reads the memory afterwards (V4L2 buffer leases are returned first).
/// </summary>
internal sealed unsafe class MappedMemory : MemoryManager<byte>
{
    private readonly MemoryMappingHandle _mapping;

    /// <summary>Wraps <paramref name="mapping"/>; disposing this disposes it.</summary>
    public MappedMemory(MemoryMappingHandle mapping) => _mapping = mapping;

    /// <inheritdoc/>
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_mapping.IsClosed, this);
        return new Span<byte>((void*)_mapping.DangerousGetHandle(), _mapping.Length);
    }

    /// <inheritdoc/>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _mapping.Length);
        return new MemoryHandle((byte*)_mapping.DangerousGetHandle() + elementIndex);
    }

    /// <inheritdoc/>
    public override void Unpin()
    {
        // Mapped memory never moves.
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mapping.Dispose();
        }
    }
}
