using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using AesNi = System.Runtime.Intrinsics.X86.Aes;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// AES-128-GCM sealing (NIST SP 800-38D: encrypt and tag, 96-bit IV, 128-bit tag) on the x64
/// AES-NI and PCLMULQDQ instructions, for SRTP's send path. OpenSSL 3.0's EVP calls spend about
/// 185 ns of a 1200-byte packet's 480 on per-call work (parameter lookups, the IV's and the tag's
/// round trips through the provider); here a packet is one call with nothing to look up.
/// Counter mode runs eight blocks at a time and GHASH folds those eight with one reduction
/// (precomputed H^1..H^8, Karatsuba), in the bit-reflected form of Gueron and Kounavis, "Intel
/// Carry-Less Multiplication Instruction and its Usage for Computing the GCM Mode" (2014), as Go's
/// crypto/aes does. Tested against OpenSSL on random keys, IVs and lengths, and on RFC 7714's vectors.
/// Not thread-safe; the key lives in managed memory and is cleared by <see cref="Dispose"/>.
/// </summary>
internal sealed class AesNiGcm128 : IDisposable
{
    /// <summary>Blocks of counter mode, and of GHASH, per pass of the main loop.</summary>
    private const int Lanes = 8;

    private RoundKeys _keys;
    private HashPowers _powers;

    /// <summary>Creates the cipher for <paramref name="key"/> (16 bytes). Call only where <see cref="IsSupported"/>.</summary>
    public AesNiGcm128(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("AES-128-GCM takes a 16-byte key.", nameof(key));
        }

        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("AES-NI and PCLMULQDQ are not available.");
        }

        ExpandKey(Vector128.Create(key));
        InitializeHashPowers();
    }

    /// <summary>True where the CPU has the instructions (x64 with AES-NI, PCLMULQDQ and SSSE3).</summary>
    public static bool IsSupported => AesNi.IsSupported && Pclmulqdq.IsSupported && Ssse3.IsSupported;

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (as long; the same
    /// memory, or memory apart), authenticating it with <paramref name="aad"/>, and writes the
    /// 16-byte tag to <paramref name="tag"/>.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        if (iv.Length != 12)
        {
            throw new ArgumentException("The GCM IV here is 12 bytes.", nameof(iv));
        }

        if (tag.Length != 16)
        {
            throw new ArgumentException($"The GCM tag here is 16 bytes, not {tag.Length}.", nameof(tag));
        }

        if (ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException("The ciphertext is as long as the plaintext.", nameof(ciphertext));
        }

        // J0 = IV ‖ 0^31 ‖ 1 (SP 800-38D §7.1, 96-bit IV); the data's counters start at J0 + 1.
        // Two loads of the IV's own sizes: a 16-byte load of bytes just stored piecewise would stall.
        var ivPart = Vector128.Create(MemoryMarshal.Read<ulong>(iv), MemoryMarshal.Read<uint>(iv[8..])).AsByte();
        var j0 = Counter(ivPart, Vector128.Create(0u, 0, 0, 1));

        var hash = Vector128<ulong>.Zero;
        hash = HashBytes(hash, aad);
        EncryptAndHash(ref hash, ivPart, plaintext, ciphertext);

        // The length block, reflected: the ciphertext's bit length in the low half, the AAD's in the high.
        hash ^= Vector128.Create((ulong)plaintext.Length * 8, (ulong)aad.Length * 8);
        hash = Multiply(hash, _powers[2 * (Lanes - 1)], _powers[(2 * (Lanes - 1)) + 1]);
        var result = Reflect(hash.AsByte()) ^ EncryptBlock(j0);
        result.CopyTo(tag);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ((Span<Vector128<byte>>)_keys).Clear();
        ((Span<Vector128<ulong>>)_powers).Clear();
    }

    /// <summary>The polynomial x^128 + x^7 + x^2 + x + 1, reflected, as the reduction uses it.</summary>
    private static Vector128<ulong> Polynomial => Vector128.Create(1UL, 0xC200_0000_0000_0000UL);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Reflect(Vector128<byte> block) =>
        Ssse3.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));

    /// <summary>
    /// The counter block with <paramref name="counter"/> (the low 32-bit word, little-endian in a
    /// lane) big-endian in bytes 12..15 after <paramref name="ivPart"/>'s 12 bytes. Vector work,
    /// not an element insert: without SSE4.1 in the baseline that goes through memory and stalls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Counter(Vector128<byte> ivPart, Vector128<uint> counter) =>
        ivPart | Ssse3.Shuffle(counter.AsByte(), Vector128.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));

    /// <summary>GHASH's product of two reflected blocks, <paramref name="h"/> given with its Karatsuba half <paramref name="hKaratsuba"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Multiply(Vector128<ulong> x, Vector128<ulong> h, Vector128<ulong> hKaratsuba)
    {
        var low = Pclmulqdq.CarrylessMultiply(x, h, 0x00);
        var high = Pclmulqdq.CarrylessMultiply(x, h, 0x11);
        var middle = Pclmulqdq.CarrylessMultiply(Karatsuba(x), hKaratsuba, 0x00);
        return Reduce(low, high, middle);
    }

    /// <summary>The XOR of a block's two 64-bit halves, in its low half (Karatsuba's middle factor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Karatsuba(Vector128<ulong> x) => Sse2.Shuffle(x.AsUInt32(), 0x4E).AsUInt64() ^ x;

    /// <summary>Folds a 256-bit Karatsuba product back into GF(2^128): two multiplications by the polynomial's high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reduce(Vector128<ulong> low, Vector128<ulong> high, Vector128<ulong> middle)
    {
        middle ^= low ^ high;
        low ^= Sse2.ShiftLeftLogical128BitLane(middle, 8);
        high ^= Sse2.ShiftRightLogical128BitLane(middle, 8);
        low = Sse2.Shuffle(low.AsUInt32(), 0x4E).AsUInt64() ^ Pclmulqdq.CarrylessMultiply(Polynomial, low, 0x01);
        low = Sse2.Shuffle(low.AsUInt32(), 0x4E).AsUInt64() ^ Pclmulqdq.CarrylessMultiply(Polynomial, low, 0x01);
        return low ^ high;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> EncryptBlock(Vector128<byte> block)
    {
        block ^= _keys[0];
        for (var round = 1; round < 10; round++)
        {
            block = AesNi.Encrypt(block, _keys[round]);
        }

        return AesNi.EncryptLast(block, _keys[10]);
    }

    /// <summary>Hashes <paramref name="bytes"/> block by block, the last one padded with zeros.</summary>
    private Vector128<ulong> HashBytes(Vector128<ulong> hash, ReadOnlySpan<byte> bytes)
    {
        var h = _powers[2 * (Lanes - 1)];
        var hKaratsuba = _powers[(2 * (Lanes - 1)) + 1];
        var offset = 0;
        for (; offset + 16 <= bytes.Length; offset += 16)
        {
            hash = Multiply(hash ^ Reflect(Vector128.Create(bytes.Slice(offset, 16))).AsUInt64(), h, hKaratsuba);
        }

        if (offset < bytes.Length)
        {
            hash = Multiply(hash ^ Reflect(PaddedBlock(bytes[offset..])).AsUInt64(), h, hKaratsuba);
        }

        return hash;
    }

    /// <summary>
    /// 1..15 bytes as a block padded with zeros, read in pieces of their own sizes (SRTP's AAD is
    /// a 12-byte RTP header: one 8-byte and one 4-byte read), not copied to the stack and read
    /// back, which stalls on the store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PaddedBlock(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8
            ? Vector128.Create(MemoryMarshal.Read<ulong>(bytes), UpToEightBytes(bytes[8..])).AsByte()
            : Vector128.Create(UpToEightBytes(bytes), 0UL).AsByte();

    /// <summary>0..8 bytes, little-endian, zero above them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong UpToEightBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 8)
        {
            return MemoryMarshal.Read<ulong>(bytes);
        }

        ulong value = 0;
        var shift = 0;
        if (bytes.Length >= 4)
        {
            value = MemoryMarshal.Read<uint>(bytes);
            bytes = bytes[4..];
            shift = 32;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            value |= (ulong)bytes[i] << (shift + (8 * i));
        }

        return value;
    }

    /// <summary>Counter mode from J0 + 1 over <paramref name="plaintext"/>, hashing each ciphertext block as it is made.</summary>
    private void EncryptAndHash(ref Vector128<ulong> hash, Vector128<byte> ivPart, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ref var input = ref MemoryMarshal.GetReference(plaintext);
        ref var output = ref MemoryMarshal.GetReference(ciphertext);
        var length = (nuint)plaintext.Length;
        nuint offset = 0;
        var counter = Vector128.Create(0u, 0, 0, 2);
        var one = Vector128.Create(0u, 0, 0, 1);
        var k0 = _keys[0];
        var k10 = _keys[10];
        for (; offset + (Lanes * 16) <= length; offset += Lanes * 16)
        {
            var b0 = Counter(ivPart, counter) ^ k0;
            var b1 = Counter(ivPart, counter + one) ^ k0;
            var b2 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 2)) ^ k0;
            var b3 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 3)) ^ k0;
            var b4 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 4)) ^ k0;
            var b5 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 5)) ^ k0;
            var b6 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 6)) ^ k0;
            var b7 = Counter(ivPart, counter + Vector128.Create(0u, 0, 0, 7)) ^ k0;
            counter += Vector128.Create(0u, 0, 0, Lanes);
            for (var round = 1; round < 10; round++)
            {
                var k = _keys[round];
                b0 = AesNi.Encrypt(b0, k);
                b1 = AesNi.Encrypt(b1, k);
                b2 = AesNi.Encrypt(b2, k);
                b3 = AesNi.Encrypt(b3, k);
                b4 = AesNi.Encrypt(b4, k);
                b5 = AesNi.Encrypt(b5, k);
                b6 = AesNi.Encrypt(b6, k);
                b7 = AesNi.Encrypt(b7, k);
            }

            b0 = AesNi.EncryptLast(b0, k10) ^ Vector128.LoadUnsafe(ref input, offset);
            b1 = AesNi.EncryptLast(b1, k10) ^ Vector128.LoadUnsafe(ref input, offset + 16);
            b2 = AesNi.EncryptLast(b2, k10) ^ Vector128.LoadUnsafe(ref input, offset + 32);
            b3 = AesNi.EncryptLast(b3, k10) ^ Vector128.LoadUnsafe(ref input, offset + 48);
            b4 = AesNi.EncryptLast(b4, k10) ^ Vector128.LoadUnsafe(ref input, offset + 64);
            b5 = AesNi.EncryptLast(b5, k10) ^ Vector128.LoadUnsafe(ref input, offset + 80);
            b6 = AesNi.EncryptLast(b6, k10) ^ Vector128.LoadUnsafe(ref input, offset + 96);
            b7 = AesNi.EncryptLast(b7, k10) ^ Vector128.LoadUnsafe(ref input, offset + 112);
            b0.StoreUnsafe(ref output, offset);
            b1.StoreUnsafe(ref output, offset + 16);
            b2.StoreUnsafe(ref output, offset + 32);
            b3.StoreUnsafe(ref output, offset + 48);
            b4.StoreUnsafe(ref output, offset + 64);
            b5.StoreUnsafe(ref output, offset + 80);
            b6.StoreUnsafe(ref output, offset + 96);
            b7.StoreUnsafe(ref output, offset + 112);
            hash = HashEight(hash, b0, b1, b2, b3, b4, b5, b6, b7);
        }

        var h = _powers[2 * (Lanes - 1)];
        var hKaratsuba = _powers[(2 * (Lanes - 1)) + 1];
        for (; offset + 16 <= length; offset += 16, counter += one)
        {
            var block = EncryptBlock(Counter(ivPart, counter)) ^ Vector128.LoadUnsafe(ref input, offset);
            block.StoreUnsafe(ref output, offset);
            hash = Multiply(hash ^ Reflect(block).AsUInt64(), h, hKaratsuba);
        }

        if (offset < length)
        {
            // The last, partial block: XOR what is there, hash it padded with zeros.
            var rest = (int)(length - offset);
            Span<byte> block = stackalloc byte[16];
            block.Clear();
            plaintext[(int)offset..].CopyTo(block);
            var sealedBlock = EncryptBlock(Counter(ivPart, counter)) ^ Vector128.Create((ReadOnlySpan<byte>)block);
            sealedBlock.CopyTo(block);
            block[rest..].Clear();
            block[..rest].CopyTo(ciphertext[(int)offset..]);
            hash = Multiply(hash ^ Reflect(Vector128.Create((ReadOnlySpan<byte>)block)).AsUInt64(), h, hKaratsuba);
        }
    }

    /// <summary>(hash ⊕ C0)·H^8 ⊕ C1·H^7 ⊕ … ⊕ C7·H: eight blocks with one reduction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<ulong> HashEight(Vector128<ulong> hash, Vector128<byte> c0, Vector128<byte> c1, Vector128<byte> c2, Vector128<byte> c3, Vector128<byte> c4, Vector128<byte> c5, Vector128<byte> c6, Vector128<byte> c7)
    {
        var low = Vector128<ulong>.Zero;
        var high = Vector128<ulong>.Zero;
        var middle = Vector128<ulong>.Zero;
        Accumulate(hash ^ Reflect(c0).AsUInt64(), 0, ref low, ref high, ref middle);
        Accumulate(Reflect(c1).AsUInt64(), 1, ref low, ref high, ref middle);
        Accumulate(Reflect(c2).AsUInt64(), 2, ref low, ref high, ref middle);
        Accumulate(Reflect(c3).AsUInt64(), 3, ref low, ref high, ref middle);
        Accumulate(Reflect(c4).AsUInt64(), 4, ref low, ref high, ref middle);
        Accumulate(Reflect(c5).AsUInt64(), 5, ref low, ref high, ref middle);
        Accumulate(Reflect(c6).AsUInt64(), 6, ref low, ref high, ref middle);
        Accumulate(Reflect(c7).AsUInt64(), 7, ref low, ref high, ref middle);
        return Reduce(low, high, middle);
    }

    /// <summary>Adds x·H^(8 − <paramref name="slot"/>) to the unreduced Karatsuba sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Accumulate(Vector128<ulong> x, int slot, ref Vector128<ulong> low, ref Vector128<ulong> high, ref Vector128<ulong> middle)
    {
        var h = _powers[2 * slot];
        low ^= Pclmulqdq.CarrylessMultiply(x, h, 0x00);
        high ^= Pclmulqdq.CarrylessMultiply(x, h, 0x11);
        middle ^= Pclmulqdq.CarrylessMultiply(Karatsuba(x), _powers[(2 * slot) + 1], 0x00);
    }

    /// <summary>The AES-128 key schedule (FIPS 197 §5.2) through AESKEYGENASSIST.</summary>
    private void ExpandKey(Vector128<byte> key)
    {
        _keys[0] = key;
        _keys[1] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x01));
        _keys[2] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x02));
        _keys[3] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x04));
        _keys[4] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x08));
        _keys[5] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x10));
        _keys[6] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x20));
        _keys[7] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x40));
        _keys[8] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x80));
        _keys[9] = key = NextRoundKey(key, AesNi.KeygenAssist(key, 0x1B));
        _keys[10] = NextRoundKey(key, AesNi.KeygenAssist(key, 0x36));
    }

    private static Vector128<byte> NextRoundKey(Vector128<byte> key, Vector128<byte> assisted)
    {
        // RotWord(SubWord(w3)) ⊕ Rcon broadcast, then each word XORed with all the words before it.
        var word = Sse2.Shuffle(assisted.AsUInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 8);
        return key ^ word;
    }

    /// <summary>
    /// H = E(K, 0^128), reflected and doubled (the reflected product then needs no shift), and its
    /// powers up to H^8 with their Karatsuba halves: slot 7 holds H, slot 0 H^8.
    /// </summary>
    private void InitializeHashPowers()
    {
        var h = Reflect(EncryptBlock(Vector128<byte>.Zero)).AsUInt32();

        // H·x mod P: shift left one bit across the 128, folding the bit shifted out back in.
        var fold = Sse2.ShiftRightArithmetic(Sse2.Shuffle(h, 0xFF).AsInt32(), 31).AsUInt64() & Polynomial;
        var carries = Sse2.ShiftLeftLogical128BitLane(Sse2.ShiftRightLogical(h, 31), 4);
        var doubled = (Sse2.ShiftLeftLogical(h, 1) ^ carries).AsUInt64() ^ fold;

        var power = doubled;
        var powerKaratsuba = Karatsuba(doubled);
        var hKaratsuba = powerKaratsuba;
        for (var slot = Lanes - 1; slot >= 0; slot--)
        {
            _powers[2 * slot] = power;
            _powers[(2 * slot) + 1] = powerKaratsuba;
            power = Multiply(power, doubled, hKaratsuba);
            powerKaratsuba = Karatsuba(power);
        }
    }

    /// <summary>The eleven AES-128 round keys.</summary>
    [InlineArray(11)]
    private struct RoundKeys
    {
        private Vector128<byte> _first;
    }

    /// <summary>H^8..H^1 (reflected, doubled), each followed by its Karatsuba half.</summary>
    [InlineArray(2 * Lanes)]
    private struct HashPowers
    {
        private Vector128<ulong> _first;
    }
}
