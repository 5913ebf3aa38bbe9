using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace CamStreamd.Http;

/// <summary>
/// <c>http.apiToken</c>: every call that changes something must carry <c>Authorization: Bearer
/// &lt;token&gt;</c> (RFC 6750 §2.1). The comparison takes the same time whatever the input
/// (both sides are hashed first, so not even the length leaks).
/// </summary>
internal sealed class ApiTokenCheck
{
    private const string Scheme = "Bearer ";
    private readonly byte[]? _tokenHash;

    /// <summary>Creates the check; a null <paramref name="token"/> lets every call through.</summary>
    public ApiTokenCheck(string? token)
    {
        _tokenHash = token is null ? null : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
    }

    /// <summary>True when a token is configured.</summary>
    public bool Required => _tokenHash is not null;

    /// <summary>True when no token is configured or <paramref name="authorization"/> carries the right one.</summary>
    public bool IsAllowed(StringValues authorization)
    {
        if (_tokenHash is null)
        {
            return true;
        }

        if (authorization.Count != 1 || authorization[0] is not { } header || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _tokenHash);
    }

    /// <summary>True when the request may go on; otherwise logs the refusal and answers 401 (<see cref="ChallengeAsync"/>).</summary>
    public async Task<bool> AuthorizeAsync(HttpContext context, ILogger logger)
    {
        if (IsAllowed(context.Request.Headers.Authorization))
        {
            return true;
        }

        logger.Unauthorized(context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
        await ChallengeAsync(context).ConfigureAwait(false);
        return false;
    }

    /// <summary>Writes 401 with <c>WWW-Authenticate: Bearer</c> and a problem document.</summary>
    public static Task ChallengeAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"camstreamd\"";
        return Problems.WriteAsync(
            context,
            StatusCodes.Status401Unauthorized,
            "this call changes the daemon and needs \"Authorization: Bearer <http.apiToken>\"",
            new ProblemField("Authorization", "missing or wrong bearer token"));
    }
}
