using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): keystream block j is
/// AES(key, IV + j), with the 16-bit block counter in the IV's last two bytes. The counter blocks
/// and the keystream live in buffers made once, and one ECB encryptor kept for the key encrypts all
/// of a packet's counter blocks in one call, so a packet costs no allocation.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    /// <summary>Blocks done per ECB call: 128 blocks = 2048 bytes, more than any packet we send; longer input takes several calls.</summary>
    private const int ChunkBlocks = 128;

    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _counters = new byte[ChunkBlocks * 16];
    private readonly byte[] _keystream = new byte[ChunkBlocks * 16];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        // One encryptor kept for the key: its native cipher context is set up once. (Aes.EncryptEcb,
        // the one-shot, makes and frees a context per call: 64 bytes and ~6 µs per packet, measured.)
        _encryptor = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream that starts at <paramref name="iv"/> (16 bytes, last two zero) onto <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        var block = 0;
        while (!data.IsEmpty)
        {
            var length = Math.Min(data.Length, ChunkBlocks * 16);
            var blocks = (length + 15) / 16;
            // Counter block j = IV with j in its last 16 bits (the IV's low 16 bits are zero, RFC 3711
            // §4.1.1: salt, SSRC and index fill bits 16..111), written as two 64-bit words.
            var high = BinaryPrimitives.ReadUInt64BigEndian(iv);
            var low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
            var words = MemoryMarshal.Cast<byte, ulong>(_counters.AsSpan(0, blocks * 16));
            var highWire = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(high) : high;
            for (var i = 0; i < blocks; i++)
            {
                var counterLow = low ^ (ulong)(ushort)(block + i);
                words[2 * i] = highWire;
                words[(2 * i) + 1] = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(counterLow) : counterLow;
            }

            _encryptor.TransformBlock(_counters, 0, blocks * 16, _keystream, 0);
            Xor(data[..length], _keystream.AsSpan(0, length));
            data = data[length..];
            block += blocks;
        }
    }

    /// <summary>The first <paramref name="output"/>.Length bytes of keystream at <paramref name="iv"/> (key derivation).</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(iv, output);
    }

    public void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        var width = Vector<byte>.Count;
        for (; i + width <= data.Length; i += width)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
