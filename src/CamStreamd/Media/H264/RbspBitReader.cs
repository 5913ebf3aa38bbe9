namespace CamStreamd.Media.H264;

/// <summary>
/// Reads bits of a NAL unit's RBSP (H.264 §7.2): u(n), ue(v) and se(v) Exp-Golomb codes (§9.1),
/// dropping emulation prevention bytes (the 0x03 in 00 00 03, §7.4.1) on the fly. Reading past the
/// end sets <see cref="HasError"/> and yields zeros instead of throwing.
/// </summary>
public ref struct RbspBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _byteIndex;
    private int _bitIndex;
    private int _zeroRun;
    private byte _current;

    /// <summary>Starts at the first bit of <paramref name="escapedPayload"/> (the bytes after the NAL header).</summary>
    public RbspBitReader(ReadOnlySpan<byte> escapedPayload)
    {
        _data = escapedPayload;
        _byteIndex = -1;
        _bitIndex = 8;
    }

    /// <summary>True once a read ran past the end or an Exp-Golomb code was too long.</summary>
    public bool HasError { get; private set; }

    /// <summary>Reads one bit.</summary>
    public int ReadBit()
    {
        if (_bitIndex == 8 && !LoadNextByte())
        {
            HasError = true;
            return 0;
        }

        return (_current >> (7 - _bitIndex++)) & 1;
    }

    /// <summary>Reads <paramref name="count"/> (0..32) bits, most significant first: u(n).</summary>
    public uint ReadBits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value << 1) | (uint)ReadBit();
        }

        return value;
    }

    /// <summary>Reads one flag bit: u(1).</summary>
    public bool ReadFlag() => ReadBit() != 0;

    /// <summary>Reads an unsigned Exp-Golomb code: ue(v), up to 2^32 - 2.</summary>
    public uint ReadUe()
    {
        var leadingZeros = 0;
        while (ReadBit() == 0)
        {
            if (HasError || ++leadingZeros > 31)
            {
                HasError = true;
                return 0;
            }
        }

        return (uint)((1L << leadingZeros) - 1 + ReadBits(leadingZeros));
    }

    /// <summary>Reads a signed Exp-Golomb code: se(v) (§9.1.1: 1, -1, 2, -2 ... for codes 1, 2, 3, 4 ...).</summary>
    public int ReadSe()
    {
        var code = ReadUe();
        var magnitude = (int)((code + 1) / 2);
        return (code & 1) != 0 ? magnitude : -magnitude;
    }

    private bool LoadNextByte()
    {
        while (true)
        {
            _byteIndex++;
            if (_byteIndex >= _data.Length)
            {
                _byteIndex = _data.Length;
                return false;
            }

            var b = _data[_byteIndex];
            if (_zeroRun >= 2 && b == 3)
            {
                // emulation_prevention_three_byte: not part of the RBSP.
                _zeroRun = 0;
                continue;
            }

            _zeroRun = b == 0 ? _zeroRun + 1 : 0;
            _current = b;
            _bitIndex = 0;
            return true;
        }
    }
}
