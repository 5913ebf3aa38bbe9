using System.Security.Cryptography;

namespace CamStreamd.Interop.OpenSsl;

/// <summary>
/// AES-128-GCM with one key, in place, through one OpenSSL cipher context set up once: a packet
/// sets its 12-byte IV, feeds the additional authenticated data and the data, and takes or checks
/// the 16-byte tag. No allocation per call. Not thread-safe (one SRTP direction owns it).
/// </summary>
internal sealed unsafe class EvpAesGcm : IDisposable
{
    /// <summary>GCM's IV as SRTP uses it (RFC 7714 §8.1): 96 bits, OpenSSL's default length.</summary>
    public const int IvLength = 12;

    /// <summary>The full 128-bit tag (RFC 7714 §12: AEAD_AES_128_GCM has a 16-octet tag).</summary>
    public const int TagLength = 16;

    private const int Encrypt = 1;
    private const int Decrypt = 0;

    private readonly EvpCipherContextHandle _context;

    /// <summary>Creates the cipher for <paramref name="key"/> (16 bytes).</summary>
    public EvpAesGcm(ReadOnlySpan<byte> key)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("AES-128-GCM takes a 16-byte key.", nameof(key));
        }

        _context = EvpCipherContextHandle.Create();
        fixed (byte* k = key)
        {
            if (LibCrypto.EVP_CipherInit_ex(_context.DangerousGetHandle(), LibCrypto.EVP_aes_128_gcm(), 0, k, null, Encrypt) != 1)
            {
                _context.Dispose();
                throw new CryptographicException("EVP_CipherInit_ex(aes-128-gcm) failed");
            }
        }
    }

    /// <summary>Encrypts <paramref name="data"/> in place, authenticating it with <paramref name="aad"/>, and writes the tag.</summary>
    public void Seal(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, Span<byte> data, Span<byte> tag) => Seal(iv, aad, data, data, tag);

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (as long; the same
    /// memory, or memory apart), authenticating it with <paramref name="aad"/>, and writes the tag.
    /// Out of place, a packet shared by many sessions is read once per session, never copied first.
    /// </summary>
    public void Seal(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        CheckTag(tag.Length);
        if (ciphertext.Length != plaintext.Length)
        {
            throw new ArgumentException("The ciphertext is as long as the plaintext.", nameof(ciphertext));
        }

        var added = false;
        _context.DangerousAddRef(ref added);
        try
        {
            var context = _context.DangerousGetHandle();
            fixed (byte* t = tag)
            {
                Run(context, iv, aad, [], plaintext, ciphertext, Encrypt);
                Check(LibCrypto.EVP_CipherFinal_ex(context, t, out _), "EVP_CipherFinal_ex");
                Check(LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.EVP_CTRL_AEAD_GET_TAG, TagLength, t), "EVP_CTRL_AEAD_GET_TAG");
            }
        }
        finally
        {
            _context.DangerousRelease();
        }
    }

    /// <summary>
    /// Decrypts <paramref name="data"/> in place if <paramref name="tag"/> authenticates it with
    /// <paramref name="aad"/> (and <paramref name="moreAad"/> after it); on a wrong tag the data is
    /// put back as it came (CTR: the same keystream again) and the result is false.
    /// </summary>
    public bool Open(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> moreAad, Span<byte> data, ReadOnlySpan<byte> tag)
    {
        CheckTag(tag.Length);
        var added = false;
        _context.DangerousAddRef(ref added);
        try
        {
            var context = _context.DangerousGetHandle();
            Run(context, iv, aad, moreAad, data, data, Decrypt);
            int matched;
            fixed (byte* t = tag)
            {
                Check(LibCrypto.EVP_CIPHER_CTX_ctrl(context, LibCrypto.EVP_CTRL_AEAD_SET_TAG, TagLength, t), "EVP_CTRL_AEAD_SET_TAG");
                matched = LibCrypto.EVP_CipherFinal_ex(context, t, out _);
            }

            if (matched != 1)
            {
                // Restore: encrypting the decrypted bytes under the same IV gives the ciphertext back.
                Run(context, iv, [], [], data, data, Encrypt);
                return false;
            }

            return true;
        }
        finally
        {
            _context.DangerousRelease();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _context.Dispose();

    private static void CheckTag(int length)
    {
        if (length != TagLength)
        {
            throw new ArgumentException($"The GCM tag here is {TagLength} bytes, not {length}.");
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 1)
        {
            throw new CryptographicException(call + " failed");
        }
    }

    private static void Run(nint context, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> moreAad, ReadOnlySpan<byte> input, Span<byte> output, int direction)
    {
        if (iv.Length != IvLength)
        {
            throw new ArgumentException("AES-GCM here takes a 12-byte IV.", nameof(iv));
        }

        fixed (byte* v = iv, a = aad, m = moreAad, i = input, o = output)
        {
            Check(LibCrypto.EVP_CipherInit_ex(context, 0, 0, null, v, direction), "EVP_CipherInit_ex");
            if (aad.Length > 0)
            {
                Check(LibCrypto.EVP_CipherUpdate(context, null, out _, a, aad.Length), "EVP_CipherUpdate(aad)");
            }

            if (moreAad.Length > 0)
            {
                Check(LibCrypto.EVP_CipherUpdate(context, null, out _, m, moreAad.Length), "EVP_CipherUpdate(aad)");
            }

            if (input.Length > 0)
            {
                Check(LibCrypto.EVP_CipherUpdate(context, o, out _, i, input.Length), "EVP_CipherUpdate");
            }
        }
    }
}
