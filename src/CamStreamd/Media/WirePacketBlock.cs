using System.Buffers;
using System.Buffers.Binary;

namespace CamStreamd.Media;

/// <summary>
/// The RTP packets of one access unit, built once per stream and kept as wire-ready bytes.
/// Each packet is stored behind a 4-byte RTSP interleaved header (RFC 2326 §10.12) so a TCP
/// viewer on channel 0 can send the whole block in one write; UDP viewers send each packet
/// without that prefix.
/// </summary>
/// <remarks>
/// Layout of <see cref="InterleavedBytes"/>:
/// <code>
///  +-----+---------+-------------+----------------------+-----+---------+-----
///  | '$' | channel | length (BE) | RTP packet 0 ...     | '$' | channel | ...
///  +-----+---------+-------------+----------------------+-----+---------+-----
///    1B      1B         2B
/// </code>
/// The channel byte is written as 0; sessions on another channel patch a copy.
/// </remarks>
public sealed class WirePacketBlock
{
    /// <summary>'$', channel, 16-bit length.</summary>
    public const int InterleavedHeaderLength = 4;

    /// <summary>The interleaved header's magic byte, 0x24 ('$').</summary>
    public const byte InterleavedMagic = 0x24;

    /// <summary>Smallest array rented: one full-size RTP packet and its header.</summary>
    private const int MinimumBufferLength = 2 * 1024;

    private readonly ArrayPool<byte> _buffers;
    private byte[] _buffer = [];
    private int[] _offsets = new int[32];
    private int _length;
    private int _pendingOffset = -1;

    /// <summary>Creates a block whose bytes are rented from the shared array pool.</summary>
    public WirePacketBlock()
        : this(ArrayPool<byte>.Shared)
    {
    }

    /// <summary>Creates a block whose bytes are rented from <paramref name="buffers"/> as it grows.</summary>
    public WirePacketBlock(ArrayPool<byte> buffers)
    {
        _buffers = buffers;
    }

    /// <summary>Number of RTP packets in the block.</summary>
    public int PacketCount { get; private set; }

    /// <summary>RTP sequence number of the first packet (the session's RTP-Info seq when it starts here).</summary>
    public ushort FirstSequenceNumber { get; set; }

    /// <summary>RTP timestamp shared by every packet of the access unit.</summary>
    public uint RtpTimestamp { get; set; }

    /// <summary>The stream's RTP synchronization source identifier.</summary>
    public uint Ssrc { get; set; }

    /// <summary>Length of the array behind the block (0 until the first packet, and after <see cref="ReturnBuffer"/>).</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>All packets, each behind its interleaved header.</summary>
    public ReadOnlySpan<byte> InterleavedBytes => _buffer.AsSpan(0, _length);

    /// <summary>All packets, each behind its interleaved header.</summary>
    public ReadOnlyMemory<byte> InterleavedMemory => _buffer.AsMemory(0, _length);

    /// <summary>Total bytes of the block including the interleaved headers.</summary>
    public int Length => _length;

    /// <summary>The RTP packet at <paramref name="index"/> without its interleaved header.</summary>
    public ReadOnlySpan<byte> GetPacket(int index) => GetPacketMemory(index).Span;

    /// <summary>The RTP packet at <paramref name="index"/> without its interleaved header.</summary>
    public ReadOnlyMemory<byte> GetPacketMemory(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)PacketCount, nameof(index));
        var start = _offsets[index];
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(start + 2, 2));
        return _buffer.AsMemory(start + InterleavedHeaderLength, length);
    }

    /// <summary>
    /// Makes room for <paramref name="bytes"/> bytes of packets and headers in one go, so that a
    /// frame's packets do not grow the buffer (and copy what it holds) step by step from empty.
    /// </summary>
    public void Reserve(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        EnsureCapacity(bytes);
    }

    /// <summary>Reserves room for one RTP packet of at most <paramref name="maxLength"/> bytes.</summary>
    public Span<byte> BeginPacket(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, ushort.MaxValue);
        if (_pendingOffset >= 0)
        {
            throw new InvalidOperationException("The previous packet was not committed.");
        }

        EnsureCapacity(_length + InterleavedHeaderLength + maxLength);
        _pendingOffset = _length;
        return _buffer.AsSpan(_length + InterleavedHeaderLength, maxLength);
    }

    /// <summary>Commits the packet begun by <see cref="BeginPacket"/> with its real length.</summary>
    public void CommitPacket(int length)
    {
        if (_pendingOffset < 0)
        {
            throw new InvalidOperationException("No packet was begun.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ushort.MaxValue);
        var header = _buffer.AsSpan(_pendingOffset, InterleavedHeaderLength);
        header[0] = InterleavedMagic;
        header[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)length);
        if (PacketCount == _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
        }

        _offsets[PacketCount++] = _pendingOffset;
        _length = _pendingOffset + InterleavedHeaderLength + length;
        _pendingOffset = -1;
    }

    /// <summary>Empties the block, keeping its buffers for reuse.</summary>
    public void Clear()
    {
        _length = 0;
        PacketCount = 0;
        _pendingOffset = -1;
        FirstSequenceNumber = 0;
        RtpTimestamp = 0;
        Ssrc = 0;
    }

    /// <summary>Empties the block and gives its bytes back to the array pool (its unit is being returned).</summary>
    public void ReturnBuffer()
    {
        Clear();
        if (_buffer.Length > 0)
        {
            _buffers.Return(_buffer);
            _buffer = [];
        }
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > _buffer.Length)
        {
            var bigger = _buffers.Rent(Math.Max(Math.Max(needed, _buffer.Length * 2), MinimumBufferLength));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            if (_buffer.Length > 0)
            {
                _buffers.Return(_buffer);
            }

            _buffer = bigger;
        }
    }
}
