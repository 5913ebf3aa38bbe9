using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.OpenSsl;

/// <summary>Owns an <c>EVP_CIPHER_CTX*</c>; released with <c>EVP_CIPHER_CTX_free</c> (which also wipes the key schedule).</summary>
internal sealed class EvpCipherContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Create"/>.</summary>
    public EvpCipherContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>A new cipher context.</summary>
    public static EvpCipherContextHandle Create()
    {
        var handle = new EvpCipherContextHandle();
        handle.SetHandle(LibCrypto.EVP_CIPHER_CTX_new());
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new System.Security.Cryptography.CryptographicException("EVP_CIPHER_CTX_new failed (out of memory)");
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_CIPHER_CTX_free(handle);
        return true;
    }
}
