namespace CamStreamd.Rtsp.Protocol;

/// <summary>The parameters of an <c>Authorization: Digest ...</c> header (RFC 2617 §3.2.2, RFC 7616 §3.4).</summary>
/// <param name="Username">The user name.</param>
/// <param name="Realm">The realm the client answers.</param>
/// <param name="Nonce">The server nonce echoed back.</param>
/// <param name="Uri">The digest-uri: the Request-URI as the client sent it.</param>
/// <param name="Response">The 32 hex digit request digest.</param>
/// <param name="Algorithm">The algorithm, or null (then MD5).</param>
/// <param name="Qop">The quality of protection ("auth"), or null for the RFC 2069 form.</param>
/// <param name="NonceCount">The nc value (8 hex digits) with qop, else null.</param>
/// <param name="ClientNonce">The cnonce with qop, else null.</param>
/// <param name="Opaque">The opaque value echoed back, or null.</param>
public sealed record DigestCredentials(
    string Username,
    string Realm,
    string Nonce,
    string Uri,
    string Response,
    string? Algorithm,
    string? Qop,
    string? NonceCount,
    string? ClientNonce,
    string? Opaque)
{
    /// <summary>
    /// Reads the credentials from parsed auth-params. False when a required parameter is
    /// missing (username, realm, nonce, uri, response; with qop also nc and cnonce).
    /// </summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> parameters, out DigestCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        credentials = null!;
        if (!parameters.TryGetValue("username", out var username)
            || !parameters.TryGetValue("realm", out var realm)
            || !parameters.TryGetValue("nonce", out var nonce)
            || !parameters.TryGetValue("uri", out var uri)
            || !parameters.TryGetValue("response", out var response))
        {
            return false;
        }

        var qop = parameters.GetValueOrDefault("qop");
        var nc = parameters.GetValueOrDefault("nc");
        var cnonce = parameters.GetValueOrDefault("cnonce");
        if (qop is not null && (nc is null || cnonce is null))
        {
            return false;
        }

        credentials = new DigestCredentials(username, realm, nonce, uri, response,
            parameters.GetValueOrDefault("algorithm"), qop, nc, cnonce, parameters.GetValueOrDefault("opaque"));
        return true;
    }
}
