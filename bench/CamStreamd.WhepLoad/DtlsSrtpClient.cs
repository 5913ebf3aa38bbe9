using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CamStreamd.WhepLoad;

/// <summary>
/// A DTLS 1.2 client as a browser is one (BouncyCastle's client protocol): offers use_srtp (the
/// AES-GCM and AES-CM profiles, as Chromium does, or the <paramref name="offeredProfiles"/> given), presents its own self-signed certificate, checks the server's against the answer's fingerprint
/// and exports the SRTP keys. <paramref name="paddingLength"/> makes the ClientHello as large as
/// Chromium's post-quantum one. Used by the load client and by the DTLS and WHEP tests.
/// </summary>
internal sealed class DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate identity, DtlsFingerprint expectedServer, int paddingLength = 0, SrtpProfile[]? offeredProfiles = null)
    : DefaultTlsClient(crypto)
{
    private readonly SrtpProfile[] _offered = offeredProfiles ?? [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1Tag80];
    private SrtpProfile? _chosen;

    /// <summary>A handshake gives up after this long (BouncyCastle's default is to wait forever).</summary>
    public const int HandshakeTimeoutMillis = 15_000;

    public SrtpKeyMaterial? Keys { get; private set; }

    public short? AlertReceived { get; private set; }

    public override int GetHandshakeTimeoutMillis() => HandshakeTimeoutMillis;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    public override IDictionary<int, byte[]> GetClientExtensions()
    {
        var extensions = base.GetClientExtensions();
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([.. _offered.Select(p => (int)p)], TlsUtilities.EmptyBytes));
        if (paddingLength > 0)
        {
            TlsExtensionsUtilities.AddPaddingExtension(extensions, paddingLength);
        }

        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        // RFC 5764 §4.1.1: the server names exactly one of the offered profiles.
        var chosen = TlsSrtpUtilities.GetUseSrtpExtension(serverExtensions);
        if (chosen is null || chosen.ProtectionProfiles.Length != 1 || Array.IndexOf(_offered, (SrtpProfile)chosen.ProtectionProfiles[0]) < 0)
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        _chosen = (SrtpProfile)chosen.ProtectionProfiles[0];
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var profile = _chosen ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        Keys = SrtpKeyMaterial.FromExporter(profile, m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.ExportedLengthOf(profile)));
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) => AlertReceived = alertDescription;

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate)
        {
            if (!expectedServer.Matches(serverCertificate.Certificate.GetCertificateAt(0).GetEncoded()))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(client.m_context),
                (BcTlsCrypto)client.Crypto,
                client.Identity.PrivateKey,
                new Certificate([new BcTlsCertificate((BcTlsCrypto)client.Crypto, client.Identity.Der)]),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

        private DtlsFingerprint expectedServer => client.ExpectedServer;
    }

    private DtlsFingerprint ExpectedServer => expectedServer;

    private DtlsCertificate Identity => identity;
}
