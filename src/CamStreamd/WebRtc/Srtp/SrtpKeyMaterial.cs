namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The SRTP master keys and salts of one DTLS-SRTP association, as exported with the label
/// "EXTRACTOR-dtls_srtp" (RFC 5764 §4.2) for SRTP_AES128_CM_HMAC_SHA1_80: 2×16 bytes of keys then
/// 2×14 bytes of salts, client's first. The server (us) protects with the server's pair and
/// unprotects what the client sends with the client's pair.
/// </summary>
public sealed class SrtpKeyMaterial
{
    /// <summary>AES-128 master key length.</summary>
    public const int MasterKeyLength = 16;

    /// <summary>Master salt length (112 bits).</summary>
    public const int MasterSaltLength = 14;

    /// <summary>Bytes exported from the DTLS exporter: client key, server key, client salt, server salt.</summary>
    public const int ExportedLength = 2 * (MasterKeyLength + MasterSaltLength);

    /// <summary>Creates the key material from its four parts (copied).</summary>
    public SrtpKeyMaterial(ReadOnlySpan<byte> clientKey, ReadOnlySpan<byte> clientSalt, ReadOnlySpan<byte> serverKey, ReadOnlySpan<byte> serverSalt)
    {
        if (clientKey.Length != MasterKeyLength || serverKey.Length != MasterKeyLength)
        {
            throw new ArgumentException($"SRTP master keys are {MasterKeyLength} bytes.");
        }

        if (clientSalt.Length != MasterSaltLength || serverSalt.Length != MasterSaltLength)
        {
            throw new ArgumentException($"SRTP master salts are {MasterSaltLength} bytes.");
        }

        ClientKey = clientKey.ToArray();
        ClientSalt = clientSalt.ToArray();
        ServerKey = serverKey.ToArray();
        ServerSalt = serverSalt.ToArray();
    }

    /// <summary>client_write_SRTP_master_key.</summary>
    public byte[] ClientKey { get; }

    /// <summary>client_write_SRTP_master_salt.</summary>
    public byte[] ClientSalt { get; }

    /// <summary>server_write_SRTP_master_key.</summary>
    public byte[] ServerKey { get; }

    /// <summary>server_write_SRTP_master_salt.</summary>
    public byte[] ServerSalt { get; }

    /// <summary>Splits the exporter's output (RFC 5764 §4.2 order).</summary>
    public static SrtpKeyMaterial FromExporter(ReadOnlySpan<byte> exported)
    {
        if (exported.Length != ExportedLength)
        {
            throw new ArgumentException($"The DTLS-SRTP exporter gives {ExportedLength} bytes, not {exported.Length}.", nameof(exported));
        }

        return new SrtpKeyMaterial(
            exported[..MasterKeyLength],
            exported.Slice(2 * MasterKeyLength, MasterSaltLength),
            exported.Slice(MasterKeyLength, MasterKeyLength),
            exported.Slice((2 * MasterKeyLength) + MasterSaltLength, MasterSaltLength));
    }
}
