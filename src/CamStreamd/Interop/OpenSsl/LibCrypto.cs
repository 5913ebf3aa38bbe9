using System.Runtime.InteropServices;

namespace CamStreamd.Interop.OpenSsl;

/// <summary>
/// The few libcrypto (OpenSSL 3) EVP calls SRTP's AES-GCM uses (evp.h). The .NET runtime needs
/// libssl3 on Linux itself, so the library is always there. We call EVP directly rather than
/// through <see cref="System.Security.Cryptography.AesGcm"/>: its per-call set-up and buffer copy
/// cost 1.13 µs per 1188-byte packet against 0.49 µs for these five calls (measured, x64).
/// The per-packet calls take the context as a raw pointer (the caller holds a reference on its
/// <see cref="EvpCipherContextHandle"/> for the packet) and skip the GC transition: each runs for
/// well under a microsecond, never blocks and never calls back.
/// </summary>
internal static partial class LibCrypto
{
    public const string LibraryName = "libcrypto.so.3";

    /// <summary>EVP_CTRL_AEAD_GET_TAG (evp.h): copy the tag after the final call of an encryption.</summary>
    public const int EVP_CTRL_AEAD_GET_TAG = 0x10;

    /// <summary>EVP_CTRL_AEAD_SET_TAG (evp.h): the tag a decryption's final call checks.</summary>
    public const int EVP_CTRL_AEAD_SET_TAG = 0x11;

    /// <summary><c>EVP_CIPHER_CTX *EVP_CIPHER_CTX_new(void)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint EVP_CIPHER_CTX_new();

    /// <summary><c>void EVP_CIPHER_CTX_free(EVP_CIPHER_CTX *ctx)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void EVP_CIPHER_CTX_free(nint ctx);

    /// <summary><c>const EVP_CIPHER *EVP_aes_128_gcm(void)</c>: a static descriptor, never freed.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint EVP_aes_128_gcm();

    /// <summary>
    /// <c>int EVP_CipherInit_ex(EVP_CIPHER_CTX *ctx, const EVP_CIPHER *type, ENGINE *impl, const unsigned char *key,
    /// const unsigned char *iv, int enc)</c>: 1 on success. With type and key 0 only the IV and direction change.
    /// </summary>
    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    public static unsafe partial int EVP_CipherInit_ex(nint ctx, nint type, nint impl, byte* key, byte* iv, int enc);

    /// <summary>
    /// <c>int EVP_CipherUpdate(EVP_CIPHER_CTX *ctx, unsigned char *out, int *outl, const unsigned char *in, int inl)</c>:
    /// with <paramref name="output"/> 0 the input is additional authenticated data. In and out may be the same buffer.
    /// </summary>
    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    public static unsafe partial int EVP_CipherUpdate(nint ctx, byte* output, out int outputLength, byte* input, int inputLength);

    /// <summary><c>int EVP_CipherFinal_ex(EVP_CIPHER_CTX *ctx, unsigned char *outm, int *outl)</c>: for a GCM decryption, 1 only when the tag matched.</summary>
    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    public static unsafe partial int EVP_CipherFinal_ex(nint ctx, byte* output, out int outputLength);

    /// <summary><c>int EVP_CIPHER_CTX_ctrl(EVP_CIPHER_CTX *ctx, int type, int arg, void *ptr)</c>: 1 on success.</summary>
    [LibraryImport(LibraryName)]
    [SuppressGCTransition]
    public static unsafe partial int EVP_CIPHER_CTX_ctrl(nint ctx, int type, int arg, byte* ptr);
}
