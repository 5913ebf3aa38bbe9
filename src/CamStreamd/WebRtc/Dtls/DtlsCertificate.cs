using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace CamStreamd.WebRtc.Dtls;

/// <summary>
/// The daemon's DTLS identity: an ECDSA P-256 key and a self-signed certificate made once per run,
/// by the plane's first WHEP offer (RFC 8827 §6.5: WebRTC endpoints authenticate by the
/// fingerprint in SDP, not by a CA). Its <see cref="Fingerprint"/> goes into every answer as
/// <c>a=fingerprint:sha-256 …</c>.
/// </summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(AsymmetricKeyParameter privateKey, byte[] der, DateTime notAfter)
    {
        PrivateKey = privateKey;
        Der = der;
        NotAfter = notAfter;
        Fingerprint = DtlsFingerprint.OfCertificate(der);
    }

    /// <summary>The certificate's SHA-256 fingerprint (for the answer's a=fingerprint).</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>The certificate, DER-encoded.</summary>
    public byte[] Der { get; }

    /// <summary>When the certificate stops being valid (browsers do not check it; a restart makes a new one).</summary>
    public DateTime NotAfter { get; }

    /// <summary>The P-256 private key (for the handshake's CertificateVerify/ServerKeyExchange signatures).</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }

    /// <summary>Makes a fresh key pair and self-signed certificate (a few milliseconds).</summary>
    /// <param name="commonName">Subject and issuer CN.</param>
    /// <param name="validity">How long it is valid from now (a day back is added for clock skew).</param>
    public static DtlsCertificate Create(string commonName = "camstreamd", TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(commonName);
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = generator.GenerateKeyPair();

        var now = DateTime.UtcNow;
        var notAfter = now + (validity ?? TimeSpan.FromDays(365));
        var name = new X509Name("CN=" + commonName);
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(new BigInteger(63, random).Add(BigInteger.One));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(notAfter);
        builder.SetPublicKey(keyPair.Public);
        var certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(keyPair.Private, certificate.GetEncoded(), notAfter);
    }
}
