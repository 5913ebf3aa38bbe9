namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The session keys of one direction and one of RTP/RTCP, derived from a master key and salt with
/// the AES-CM PRF and key derivation rate 0 (RFC 3711 §4.3.1, §4.3.3): labels 0/1/2 give the RTP
/// encryption key, authentication key and salt; 3/4/5 the same for RTCP.
/// </summary>
internal sealed class SrtpSessionKeys : IDisposable
{
    /// <summary>Session encryption key (AES-128).</summary>
    public const int EncryptionKeyLength = 16;

    /// <summary>Session authentication key (HMAC-SHA1, 160 bits).</summary>
    public const int AuthenticationKeyLength = 20;

    /// <summary>Session salt (112 bits).</summary>
    public const int SaltLength = 14;

    private SrtpSessionKeys(byte[] encryptionKey, byte[] authenticationKey, byte[] salt)
    {
        Cipher = new AesCounterMode(encryptionKey);
        AuthenticationKey = authenticationKey;
        Salt = salt;
        EncryptionKey = encryptionKey;
    }

    public AesCounterMode Cipher { get; }

    public byte[] EncryptionKey { get; }

    public byte[] AuthenticationKey { get; }

    public byte[] Salt { get; }

    /// <summary>Derives the RTP (<paramref name="rtcp"/> false) or RTCP session keys.</summary>
    public static SrtpSessionKeys Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, bool rtcp)
    {
        using var prf = new AesCounterMode(masterKey);
        var first = rtcp ? (byte)3 : (byte)0;
        var encryptionKey = new byte[EncryptionKeyLength];
        var authenticationKey = new byte[AuthenticationKeyLength];
        var salt = new byte[SaltLength];
        DeriveOne(prf, masterSalt, first, encryptionKey);
        DeriveOne(prf, masterSalt, (byte)(first + 1), authenticationKey);
        DeriveOne(prf, masterSalt, (byte)(first + 2), salt);
        return new SrtpSessionKeys(encryptionKey, authenticationKey, salt);
    }

    /// <summary>
    /// One key: x = key_id XOR master_salt, key_id = label || r with r = 0 (48 bits), so the label
    /// lands on byte 7 of the 14-byte salt; the keystream starts at IV = x · 2^16 (§4.3.1, §4.3.3).
    /// </summary>
    public static void DeriveOne(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        Span<byte> iv = stackalloc byte[16];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        prf.Keystream(iv, output);
    }

    public void Dispose() => Cipher.Dispose();
}
