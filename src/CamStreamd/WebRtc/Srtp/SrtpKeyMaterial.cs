namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The SRTP master keys and salts of one DTLS-SRTP association, as exported with the label
/// "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2) for the negotiated <see cref="Profile"/>: 2×16 bytes of
/// keys then 2 salts (14 bytes each for AES-CM, 12 for AES-GCM), client's first. The server (us)
/// protects with the server's pair and unprotects what the client sends with the client's pair.
/// </summary>
public sealed class SrtpKeyMaterial
{
    /// <summary>AES-128 master key length.</summary>
    public const int MasterKeyLength = 16;

    /// <summary>Master salt length of SRTP_AES128_CM_HMAC_SHA1_80 (112 bits).</summary>
    public const int MasterSaltLength = 14;

    /// <summary>Bytes exported for SRTP_AES128_CM_HMAC_SHA1_80: client key, server key, client salt, server salt.</summary>
    public const int ExportedLength = 2 * (MasterKeyLength + MasterSaltLength);

    /// <summary>Creates SRTP_AES128_CM_HMAC_SHA1_80 key material from its four parts (copied).</summary>
    public SrtpKeyMaterial(ReadOnlySpan<byte> clientKey, ReadOnlySpan<byte> clientSalt, ReadOnlySpan<byte> serverKey, ReadOnlySpan<byte> serverSalt)
        : this(SrtpProfile.AesCm128HmacSha1Tag80, clientKey, clientSalt, serverKey, serverSalt)
    {
    }

    /// <summary>Creates the key material of <paramref name="profile"/> from its four parts (copied).</summary>
    public SrtpKeyMaterial(SrtpProfile profile, ReadOnlySpan<byte> clientKey, ReadOnlySpan<byte> clientSalt, ReadOnlySpan<byte> serverKey, ReadOnlySpan<byte> serverSalt)
    {
        if (clientKey.Length != MasterKeyLength || serverKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"SRTP master keys are {MasterKeyLength} bytes.");
        }

        var saltLength = MasterSaltLengthOf(profile);
        if (clientSalt.Length != saltLength || serverSalt.Length != saltLength)
        {
            throw new ArgumentException($"{profile} master salts are {saltLength} bytes.");
        }

        Profile = profile;
        ClientKey = clientKey.ToArray();
        ClientSalt = clientSalt.ToArray();
        ServerKey = serverKey.ToArray();
        ServerSalt = serverSalt.ToArray();
    }

    /// <summary>The protection profile the handshake chose.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>client_write_SRTP_master_key.</summary>
    public byte[] ClientKey { get; }

    /// <summary>client_write_SRTP_master_salt.</summary>
    public byte[] ClientSalt { get; }

    /// <summary>server_write_SRTP_master_key.</summary>
    public byte[] ServerKey { get; }

    /// <summary>server_write_SRTP_master_salt.</summary>
    public byte[] ServerSalt { get; }

    /// <summary>Master salt length of <paramref name="profile"/>: 14 bytes for AES-CM (RFC 3711), 12 for AES-GCM (RFC 7714 §12).</summary>
    public static int MasterSaltLengthOf(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1Tag80 => MasterSaltLength,
        SrtpProfile.AeadAes128Gcm => SrtpGcmContext.SaltLength,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "not an SRTP profile we speak"),
    };

    /// <summary>Bytes the DTLS exporter gives for <paramref name="profile"/>: two keys and two salts.</summary>
    public static int ExportedLengthOf(SrtpProfile profile) => 2 * (MasterKeyLength + MasterSaltLengthOf(profile));

    /// <summary>Splits the exporter's output for SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.2 order).</summary>
    public static SrtpKeyMaterial FromExporter(ReadOnlySpan<byte> exported) => FromExporter(SrtpProfile.AesCm128HmacSha1Tag80, exported);

    /// <summary>Splits the exporter's output for <paramref name="profile"/> (RFC 5764 §4.2 order).</summary>
    public static SrtpKeyMaterial FromExporter(SrtpProfile profile, ReadOnlySpan<byte> exported)
    {
        var expected = ExportedLengthOf(profile);
        if (exported.Length != expected)
        {
            throw new ArgumentException($"The DTLS-SRTP exporter gives {expected} bytes for {profile}, not {exported.Length}.", nameof(exported));
        }

        var saltLength = MasterSaltLengthOf(profile);
        return new SrtpKeyMaterial(
            profile,
            exported[..MasterKeyLength],
            exported.Slice(2 * MasterKeyLength, saltLength),
            exported.Slice(MasterKeyLength, MasterKeyLength),
            exported.Slice((2 * MasterKeyLength) + saltLength, saltLength));
    }
}
