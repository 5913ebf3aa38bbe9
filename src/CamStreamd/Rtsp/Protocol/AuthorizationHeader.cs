using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// A parsed <c>Authorization</c> header (RFC 2326 §12.5 uses HTTP's): <c>Basic base64(user:password)</c>
/// (RFC 7617) or <c>Digest auth-params</c> (RFC 2617 §3.2.2, RFC 7616 §3.4).
/// </summary>
public sealed class AuthorizationHeader
{
    /// <summary>Longest Authorization value looked at; longer ones are malformed (no real credential comes close).</summary>
    public const int MaxLength = 4096;

    private AuthorizationHeader(string scheme, string? basicUser, string? basicPassword, DigestCredentials? digest)
    {
        Scheme = scheme;
        BasicUser = basicUser;
        BasicPassword = basicPassword;
        Digest = digest;
    }

    /// <summary>"Basic" or "Digest" (schemes compare case-insensitively, RFC 7235 §2.1).</summary>
    public string Scheme { get; }

    /// <summary>True for Basic credentials.</summary>
    public bool IsBasic => Scheme == "Basic";

    /// <summary>The Basic user id (before the first colon).</summary>
    public string? BasicUser { get; }

    /// <summary>The Basic password (after the first colon).</summary>
    public string? BasicPassword { get; }

    /// <summary>The Digest credentials.</summary>
    public DigestCredentials? Digest { get; }

    /// <summary>The user name the client claims, for logs (never the password).</summary>
    public string UserName => BasicUser ?? Digest?.Username ?? string.Empty;

    /// <summary>Parses a header value; false when the scheme is unknown or the credentials are malformed.</summary>
    public static bool TryParse(string value, out AuthorizationHeader header)
    {
        ArgumentNullException.ThrowIfNull(value);
        header = null!;
        var text = value.AsSpan().Trim();
        if (text.Length > MaxLength)
        {
            return false;
        }

        var space = text.IndexOfAny(' ', '\t');
        var scheme = space < 0 ? text : text[..space];
        var rest = space < 0 ? [] : text[(space + 1)..].Trim();
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseBasic(rest, out header);
        }

        if (scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase)
            && AuthParameters.TryParse(rest, out var parameters)
            && DigestCredentials.TryCreate(parameters, out var digest))
        {
            header = new AuthorizationHeader("Digest", null, null, digest);
            return true;
        }

        return false;
    }

    private static bool TryParseBasic(ReadOnlySpan<char> token68, out AuthorizationHeader header)
    {
        header = null!;
        Span<byte> decoded = stackalloc byte[MaxLength];
        if (token68.IsEmpty || !Convert.TryFromBase64Chars(token68, decoded, out var length))
        {
            return false;
        }

        string pair;
        try
        {
            // RFC 7617 §2.1: user-pass is UTF-8 when the server says charset="UTF-8"; we do not, but
            // every client we know sends UTF-8 (or ASCII). Invalid bytes are malformed credentials.
            pair = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded[..length]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        header = new AuthorizationHeader("Basic", pair[..colon], pair[(colon + 1)..], null);
        return true;
    }
}
