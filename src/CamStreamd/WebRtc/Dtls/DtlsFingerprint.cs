using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>a=fingerprint:sha-256 AB:CD:…</c>.
/// Only sha-256 is accepted (what every browser sends, and what RFC 8827 requires us to support).
/// </summary>
public sealed class DtlsFingerprint
{
    /// <summary>The hash function name in SDP.</summary>
    public const string Sha256 = "sha-256";

    private readonly byte[] _digest;

    private DtlsFingerprint(byte[] digest) => _digest = digest;

    /// <summary>The 32-byte digest.</summary>
    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>Upper-case hex pairs joined by colons, as in SDP ("AB:CD:…").</summary>
    public string Value => string.Join(':', _digest.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The SHA-256 fingerprint of a DER certificate.</summary>
    public static DtlsFingerprint OfCertificate(ReadOnlySpan<byte> der) => new(SHA256.HashData(der));

    /// <summary>
    /// Parses an SDP fingerprint attribute value: "sha-256 AB:CD:…" (hash name case-insensitive,
    /// hex either case). False for other hash functions or a malformed value.
    /// </summary>
    public static bool TryParse(string? attributeValue, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (attributeValue is null)
        {
            return false;
        }

        var parts = attributeValue.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !string.Equals(parts[0], Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = parts[1];
        // 32 bytes: 32 pairs and 31 colons.
        if (hex.Length != (32 * 3) - 1)
        {
            return false;
        }

        var digest = new byte[32];
        for (var i = 0; i < 32; i++)
        {
            if (i > 0 && hex[(i * 3) - 1] != ':')
            {
                return false;
            }

            if (!byte.TryParse(hex.AsSpan(i * 3, 2), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out digest[i]))
            {
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(digest);
        return true;
    }

    /// <summary>True when <paramref name="der"/> hashes to this fingerprint.</summary>
    public bool Matches(ReadOnlySpan<byte> der)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(der, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Sha256} {Value}";
}
