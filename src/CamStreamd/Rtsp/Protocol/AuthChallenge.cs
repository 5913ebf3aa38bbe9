namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header an upstream server sends with 401
/// (RFC 7235 §4.1): <c>Basic realm="..."</c> (RFC 7617) or <c>Digest realm="...", nonce="...",
/// [qop="auth"], [opaque="..."], [algorithm=MD5], [stale=true]</c> (RFC 2617 §3.2.1).
/// </summary>
/// <param name="IsDigest">True for Digest, false for Basic.</param>
/// <param name="Realm">The realm.</param>
/// <param name="Nonce">The Digest nonce (empty for Basic).</param>
/// <param name="Opaque">The Digest opaque value to echo, or null.</param>
/// <param name="Algorithm">The Digest algorithm as sent, or null (MD5).</param>
/// <param name="QopAuth">True when the server offers qop "auth".</param>
/// <param name="Stale">True when the server says the previous nonce was stale (the password was right).</param>
public sealed record AuthChallenge(bool IsDigest, string Realm, string Nonce, string? Opaque, string? Algorithm, bool QopAuth, bool Stale)
{
    /// <summary>
    /// Picks the challenge to answer among the values of every <c>WWW-Authenticate</c> header:
    /// Digest (with MD5, the only algorithm RTSP servers offer) before Basic. Null when none is usable.
    /// </summary>
    public static AuthChallenge? Choose(IEnumerable<string> headerValues)
    {
        ArgumentNullException.ThrowIfNull(headerValues);
        AuthChallenge? basic = null;
        foreach (var value in headerValues)
        {
            if (!TryParse(value, out var challenge))
            {
                continue;
            }

            if (challenge.IsDigest)
            {
                return challenge;
            }

            basic ??= challenge;
        }

        return basic;
    }

    /// <summary>Parses one challenge; false for other schemes, other Digest algorithms, or malformed parameters.</summary>
    public static bool TryParse(string value, out AuthChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(value);
        challenge = null!;
        var text = value.AsSpan().Trim();
        if (text.Length > AuthorizationHeader.MaxLength)
        {
            return false;
        }

        var space = text.IndexOfAny(' ', '\t');
        var scheme = space < 0 ? text : text[..space];
        var rest = space < 0 ? [] : text[(space + 1)..].Trim();
        if (!AuthParameters.TryParse(rest, out var parameters))
        {
            return false;
        }

        var realm = parameters.GetValueOrDefault("realm") ?? string.Empty;
        if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            challenge = new AuthChallenge(false, realm, string.Empty, null, null, false, false);
            return true;
        }

        if (!scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase) || !parameters.TryGetValue("nonce", out var nonce))
        {
            return false;
        }

        var algorithm = parameters.GetValueOrDefault("algorithm");
        if (algorithm is not null && !algorithm.Equals(DigestAlgorithm.Md5, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // qop is a quoted comma list ("auth,auth-int"); we answer "auth" when it is offered.
        var qop = parameters.GetValueOrDefault("qop");
        var qopAuth = qop is not null && qop.Split(',', StringSplitOptions.TrimEntries).Contains(DigestAlgorithm.QopAuth, StringComparer.OrdinalIgnoreCase);
        var stale = string.Equals(parameters.GetValueOrDefault("stale"), "true", StringComparison.OrdinalIgnoreCase);
        challenge = new AuthChallenge(true, realm, nonce, parameters.GetValueOrDefault("opaque"), algorithm, qopAuth, stale);
        return true;
    }
}
