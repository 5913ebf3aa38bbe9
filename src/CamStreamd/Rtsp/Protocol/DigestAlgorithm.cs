using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// The MD5 request digest of RFC 2617 §3.2.2.1 (RFC 7616 §3.4.1), in lowercase hex:
/// <c>HA1 = MD5(user:realm:password)</c>, <c>HA2 = MD5(method:uri)</c>, and
/// <c>response = MD5(HA1:nonce:nc:cnonce:qop:HA2)</c> with qop=auth, or <c>MD5(HA1:nonce:HA2)</c> without (RFC 2069).
/// </summary>
[SuppressMessage("Security", "CA5351", Justification = "RFC 2617 Digest is defined with MD5, and RTSP clients (ffmpeg, GStreamer) offer nothing else.")]
public static class DigestAlgorithm
{
    /// <summary>The algorithm name the server offers.</summary>
    public const string Md5 = "MD5";

    /// <summary>The only qop the server offers (no auth-int: RTSP requests rarely have bodies).</summary>
    public const string QopAuth = "auth";

    /// <summary><c>H(username ":" realm ":" password)</c> as lowercase hex.</summary>
    public static string HashA1(string username, string realm, string password) => Hex($"{username}:{realm}:{password}");

    /// <summary>The expected response for <paramref name="hashA1"/> and the other request values.</summary>
    /// <param name="hashA1">From <see cref="HashA1"/>.</param>
    /// <param name="nonce">The nonce.</param>
    /// <param name="method">The request method, e.g. "DESCRIBE".</param>
    /// <param name="uri">The digest-uri.</param>
    /// <param name="qop">"auth", or null for the RFC 2069 form.</param>
    /// <param name="nonceCount">nc (with qop).</param>
    /// <param name="clientNonce">cnonce (with qop).</param>
    public static string Response(string hashA1, string nonce, string method, string uri, string? qop, string? nonceCount, string? clientNonce)
    {
        var hashA2 = Hex($"{method}:{uri}");
        return qop is null
            ? Hex($"{hashA1}:{nonce}:{hashA2}")
            : Hex($"{hashA1}:{nonce}:{nonceCount}:{clientNonce}:{qop}:{hashA2}");
    }

    private static string Hex(string text) =>
        Convert.ToHexStringLower(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
