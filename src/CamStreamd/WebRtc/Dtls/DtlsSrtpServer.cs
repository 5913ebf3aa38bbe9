using CamStreamd.WebRtc.Srtp;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace CamStreamd.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's server side of one DTLS-SRTP handshake: DTLS 1.2 only, ECDHE-ECDSA suites with
/// our P-256 certificate, a CertificateRequest (the client must prove the key its SDP
/// fingerprint names, RFC 8827 §6.5), use_srtp choosing SRTP_AEAD_AES_128_GCM when the client
/// offers it and SRTP_AES128_CM_HMAC_SHA1_80 otherwise (RFC 5764 §4.1.1; RFC 7714 §14.2), and the
/// SRTP keys of that profile exported once the handshake completes (§4.2).
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    /// <summary>The suites browsers offer for DTLS 1.2 with an ECDSA certificate, strongest first.</summary>
    private static readonly int[] Suites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    /// <summary>The profiles we take, preferred first: GCM authenticates in its one AES pass (3x cheaper per packet than AES-CM plus HMAC-SHA1, docs/WEBRTC.md).</summary>
    private static readonly (int Wire, SrtpProfile Profile)[] Preference =
    [
        (SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.AeadAes128Gcm),
        (SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, SrtpProfile.AesCm128HmacSha1Tag80),
    ];

    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedClient;
    private readonly int _timeoutMillis;
    private (int Wire, SrtpProfile Profile) _chosen;

    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, DtlsFingerprint expectedClient, int timeoutMillis)
        : base(crypto)
    {
        _certificate = certificate;
        _expectedClient = expectedClient;
        _timeoutMillis = timeoutMillis;
    }

    /// <summary>The reason recorded by the step that refused the client, if one did.</summary>
    public DtlsFailureReason Refusal { get; private set; }

    /// <summary>Text for the log with <see cref="Refusal"/>.</summary>
    public string? RefusalDetail { get; private set; }

    /// <summary>The keys, once the handshake completed.</summary>
    public SrtpKeyMaterial? Keys { get; private set; }

    /// <summary>The last alert the client sent (level, description), or null.</summary>
    public (short Level, short Description)? LastAlertReceived { get; private set; }

    /// <summary>Raised on the receiving thread for every alert from the client.</summary>
    public event Action<short, short>? AlertReceived;

    public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

    /// <summary>Browsers retransmit a lost flight after 50..1000 ms; a short first resend (RFC 6347 §4.2.4.1 allows it) keeps a lost datagram from costing a second of black.</summary>
    public override int GetHandshakeResendTimeMillis() => 400;

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() => TlsUtilities.GetSupportedCipherSuites(Crypto, Suites);

    protected override TlsCredentialedSigner GetECDsaSignerCredentials()
    {
        var crypto = (BcTlsCrypto)Crypto;
        var chain = new Certificate([new BcTlsCertificate(crypto, _certificate.Der)]);
        return new BcDefaultTlsCredentialedSigner(
            new TlsCryptoParameters(m_context),
            crypto,
            _certificate.PrivateKey,
            chain,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    public override CertificateRequest GetCertificateRequest()
    {
        // ECDSA and RSA client certificates (Chromium and Firefox use ECDSA; older stacks RSA).
        var algorithms = new List<SignatureAndHashAlgorithm>
        {
            new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
            new(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
            SignatureAndHashAlgorithm.rsa_pss_rsae_sha256,
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            Refuse(DtlsFailureReason.NoClientCertificate, "the client sent no certificate");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        var der = clientCertificate.GetCertificateAt(0).GetEncoded();
        if (!_expectedClient.Matches(der))
        {
            Refuse(DtlsFailureReason.FingerprintMismatch,
                $"the client's certificate has fingerprint {DtlsFingerprint.OfCertificate(der).Value}, its offer said {_expectedClient.Value}");
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var useSrtp = TlsSrtpUtilities.GetUseSrtpExtension(clientExtensions);
        foreach (var candidate in Preference)
        {
            if (useSrtp is not null && Array.IndexOf(useSrtp.ProtectionProfiles, candidate.Wire) >= 0)
            {
                _chosen = candidate;
                return;
            }
        }

        var offered = useSrtp is null ? "no use_srtp extension" : "use_srtp profiles " + string.Join(", ", useSrtp.ProtectionProfiles.Select(p => "0x" + p.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
        Refuse(DtlsFailureReason.NoSrtpProfile, $"the client offered {offered}, neither SRTP_AEAD_AES_128_GCM (0x0007) nor SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)");
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public override IDictionary<int, byte[]> GetServerExtensions()
    {
        var extensions = base.GetServerExtensions();
        // RFC 5764 §4.1.1: the server answers with exactly one profile and an empty MKI.
        TlsSrtpUtilities.AddUseSrtpExtension(extensions, new UseSrtpData([_chosen.Wire], TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        var exported = m_context.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyMaterial.ExportedLengthOf(_chosen.Profile));
        Keys = SrtpKeyMaterial.FromExporter(_chosen.Profile, exported);
        Array.Clear(exported);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription)
    {
        LastAlertReceived = (alertLevel, alertDescription);
        AlertReceived?.Invoke(alertLevel, alertDescription);
    }

    public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause)
    {
        if (Refusal == DtlsFailureReason.None && alertLevel == AlertLevel.fatal)
        {
            RefusalDetail ??= $"we sent {AlertDescription.GetText(alertDescription)}" + (message is null ? string.Empty : ": " + message) + (cause is null ? string.Empty : " (" + cause.Message + ")");
        }
    }

    private void Refuse(DtlsFailureReason reason, string detail)
    {
        Refusal = reason;
        RefusalDetail = detail;
    }
}
