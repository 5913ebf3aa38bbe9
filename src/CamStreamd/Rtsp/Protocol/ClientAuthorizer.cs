using System.Globalization;
using System.Text;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// The client side of RTSP authentication: after a 401, <see cref="Accept"/> takes the server's
/// challenge; every later request carries <see cref="Authorize"/>'s header value (Basic, or a
/// Digest response computed per request with a counting nonce-count, RFC 2617 §3.2.2).
/// </summary>
public sealed class ClientAuthorizer
{
    private readonly string _username;
    private readonly string _password;
    private readonly Func<string> _newClientNonce;
    private AuthChallenge? _challenge;
    private string _hashA1 = string.Empty;
    private string _clientNonce = string.Empty;
    private int _nonceCount;

    /// <summary>Creates the authorizer for <paramref name="username"/>.</summary>
    /// <param name="username">User name.</param>
    /// <param name="password">Password.</param>
    /// <param name="newClientNonce">Makes a cnonce (random by default; fixed in tests).</param>
    public ClientAuthorizer(string username, string password, Func<string>? newClientNonce = null)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        _username = username;
        _password = password;
        _newClientNonce = newClientNonce ?? (() => Convert.ToHexStringLower(KernelRandom.GetBytes(8)));
    }

    /// <summary>True once a challenge was accepted (requests then carry credentials).</summary>
    public bool HasChallenge => _challenge is not null;

    /// <summary>The challenge being answered, or null.</summary>
    public AuthChallenge? Challenge => _challenge;

    /// <summary>Takes a new challenge (a new nonce restarts the nonce count).</summary>
    public void Accept(AuthChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        _challenge = challenge;
        _nonceCount = 0;
        _clientNonce = _newClientNonce();
        _hashA1 = challenge.IsDigest ? DigestAlgorithm.HashA1(_username, challenge.Realm, _password) : string.Empty;
    }

    /// <summary>The <c>Authorization</c> value for <paramref name="method"/> on <paramref name="uri"/>, or null before a challenge.</summary>
    public string? Authorize(string method, string uri)
    {
        var challenge = _challenge;
        if (challenge is null)
        {
            return null;
        }

        if (!challenge.IsDigest)
        {
            return "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{_username}:{_password}"));
        }

        string? nc = null;
        string? cnonce = null;
        string? qop = null;
        if (challenge.QopAuth)
        {
            qop = DigestAlgorithm.QopAuth;
            nc = (++_nonceCount).ToString("x8", CultureInfo.InvariantCulture);
            cnonce = _clientNonce;
        }

        var response = DigestAlgorithm.Response(_hashA1, challenge.Nonce, method, uri, qop, nc, cnonce);
        var sb = new StringBuilder("Digest username=");
        AuthParameters.AppendQuoted(sb, _username);
        sb.Append(", realm=");
        AuthParameters.AppendQuoted(sb, challenge.Realm);
        sb.Append(", nonce=");
        AuthParameters.AppendQuoted(sb, challenge.Nonce);
        sb.Append(", uri=");
        AuthParameters.AppendQuoted(sb, uri);
        sb.Append(", response=");
        AuthParameters.AppendQuoted(sb, response);
        if (challenge.Algorithm is not null)
        {
            sb.Append(", algorithm=").Append(challenge.Algorithm);
        }

        if (challenge.Opaque is not null)
        {
            sb.Append(", opaque=");
            AuthParameters.AppendQuoted(sb, challenge.Opaque);
        }

        if (qop is not null)
        {
            sb.Append(", qop=").Append(qop).Append(", nc=").Append(nc).Append(", cnonce=");
            AuthParameters.AppendQuoted(sb, cnonce!);
        }

        return sb.ToString();
    }
}
