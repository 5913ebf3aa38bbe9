using System.Net;
using System.Security.Cryptography;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// Checks the credentials of every RTSP request except OPTIONS (which only lists methods; live555
/// and MediaMTX also leave it open, and clients send it before they have a challenge). A request
/// without good credentials gets 401 with a <c>WWW-Authenticate</c> challenge; a Digest uri that
/// is not the Request-URI gets 400 (RFC 7616 §3.4.6). Secrets are compared in constant time;
/// failures are logged with the peer address and claimed user name, at most once per interval.
/// </summary>
internal sealed class RtspAuthenticator
{
    private readonly RtspAuthSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DigestNonceIssuer _nonces;
    private readonly Account[] _accounts;
    private readonly string _dummyHashA1;
    private readonly Lock _logGate = new();
    private long _lastFailureLog;
    private long _suppressedFailures;
    private bool _loggedOnce;

    public RtspAuthenticator(RtspAuthSettings settings, TimeProvider time, ILogger logger)
    {
        _settings = settings;
        _time = time;
        _logger = logger;
        _nonces = new DigestNonceIssuer(settings.NonceLifetime, time);
        _accounts = [.. settings.Users.Select(u => new Account(
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(u.Name)),
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(u.Password)),
            u.Name,
            DigestAlgorithm.HashA1(u.Name, settings.Realm, u.Password)))];
        // Only with auth on: hashing loads libssl/libcrypto (~3.6 MiB RSS), which a daemon without
        // users, API token or TLS never needs.
        _dummyHashA1 = settings.Mode == RtspAuthMode.None
            ? string.Empty
            : DigestAlgorithm.HashA1(Convert.ToHexString(RandomNumberGenerator.GetBytes(8)), settings.Realm, string.Empty);
        if (settings.Mode != RtspAuthMode.None)
        {
            logger.AuthEnabled(settings.Mode, settings.Realm, _accounts.Length);
        }
    }

    /// <summary>True when credentials are required.</summary>
    public bool IsEnabled => _settings.Mode != RtspAuthMode.None;

    /// <summary>
    /// True when <paramref name="request"/> may proceed. Otherwise <paramref name="response"/>
    /// holds the 401 (with its challenge) or 400 to send.
    /// </summary>
    public bool Authorize(RtspRequest request, IPAddress remote, RtspResponse response)
    {
        if (!IsEnabled || request.Method == "OPTIONS")
        {
            return true;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (!request.Headers.TryGetValue("Authorization", out var value))
        {
            // The normal first round trip: not a failure.
            Challenge(response, remote, stale: false);
            return false;
        }

        if (!AuthorizationHeader.TryParse(value, out var header))
        {
            Fail(request, remote, response, string.Empty, "malformed Authorization header");
            return false;
        }

        if (header.IsBasic != (_settings.Mode == RtspAuthMode.Basic))
        {
            Fail(request, remote, response, header.UserName, $"{header.Scheme} credentials where {_settings.Mode} is required");
            return false;
        }

        return header.IsBasic ? CheckBasic(request, remote, response, header) : CheckDigest(request, remote, response, header.Digest!);
    }

    private bool CheckBasic(RtspRequest request, IPAddress remote, RtspResponse response, AuthorizationHeader header)
    {
        Span<byte> name = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> password = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header.BasicUser!), name);
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(header.BasicPassword!), password);

        // Look at every account, so the time taken does not tell which names exist.
        var match = false;
        foreach (var account in _accounts)
        {
            match |= CryptographicOperations.FixedTimeEquals(account.NameHash, name)
                & CryptographicOperations.FixedTimeEquals(account.PasswordHash, password);
        }

        if (!match)
        {
            Fail(request, remote, response, header.UserName, "wrong user name or password");
        }

        return match;
    }

    private bool CheckDigest(RtspRequest request, IPAddress remote, RtspResponse response, DigestCredentials digest)
    {
        if (!string.Equals(digest.Realm, _settings.Realm, StringComparison.Ordinal))
        {
            Fail(request, remote, response, digest.Username, "wrong realm");
            return false;
        }

        if (digest.Algorithm is { } algorithm && !algorithm.Equals(DigestAlgorithm.Md5, StringComparison.OrdinalIgnoreCase))
        {
            Fail(request, remote, response, digest.Username, "unsupported algorithm");
            return false;
        }

        if (digest.Qop is { } qop && !qop.Equals(DigestAlgorithm.QopAuth, StringComparison.OrdinalIgnoreCase))
        {
            Fail(request, remote, response, digest.Username, "unsupported qop");
            return false;
        }

        if (!string.Equals(digest.Uri, request.Uri, StringComparison.Ordinal))
        {
            // RFC 7616 §3.4.6: a digest for another URI is a bad request, not a challenge.
            LogFailure(request, remote, digest.Username, "digest uri is not the Request-URI");
            response.StatusCode = RtspStatus.BadRequest;
            return false;
        }

        var hashA1 = _dummyHashA1;
        foreach (var account in _accounts)
        {
            if (string.Equals(account.Name, digest.Username, StringComparison.Ordinal))
            {
                hashA1 = account.HashA1;
            }
        }

        var expected = DigestAlgorithm.Response(hashA1, digest.Nonce, request.Method, digest.Uri,
            digest.Qop is null ? null : DigestAlgorithm.QopAuth, digest.NonceCount, digest.ClientNonce);
        Span<byte> expectedBytes = stackalloc byte[16];
        Span<byte> givenBytes = stackalloc byte[16];
        Convert.FromHexString(expected, expectedBytes, out _, out _);
        var goodResponse = digest.Response.Length == 32
            && Convert.FromHexString(digest.Response, givenBytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 16
            && CryptographicOperations.FixedTimeEquals(expectedBytes, givenBytes)
            && !ReferenceEquals(hashA1, _dummyHashA1);

        var nonce = _nonces.Check(digest.Nonce, Scope(remote, stackalloc byte[16]));
        if (goodResponse && nonce == DigestNonceValidity.Valid)
        {
            return true;
        }

        if (goodResponse && nonce == DigestNonceValidity.Stale)
        {
            // Right password, old nonce: the client retries with a new one without asking the user.
            _logger.StaleNonce(remote, digest.Username);
            Challenge(response, remote, stale: true);
            return false;
        }

        Fail(request, remote, response, digest.Username, goodResponse ? "nonce not issued by this server to this address" : "wrong user name or password");
        return false;
    }

    private void Challenge(RtspResponse response, IPAddress remote, bool stale)
    {
        response.StatusCode = RtspStatus.Unauthorized;
        response.Headers.Set("WWW-Authenticate", _settings.Mode == RtspAuthMode.Basic
            ? WwwAuthenticateHeader.Basic(_settings.Realm)
            : WwwAuthenticateHeader.Digest(_settings.Realm, _nonces.Issue(Scope(remote, stackalloc byte[16])), stale));
    }

    private void Fail(RtspRequest request, IPAddress remote, RtspResponse response, string user, string reason)
    {
        LogFailure(request, remote, user, reason);
        Challenge(response, remote, stale: false);
    }

    private void LogFailure(RtspRequest request, IPAddress remote, string user, string reason)
    {
        long suppressed;
        lock (_logGate)
        {
            var now = _time.GetTimestamp();
            if (_loggedOnce && _time.GetElapsedTime(_lastFailureLog, now) < _settings.FailureLogInterval)
            {
                _suppressedFailures++;
                return;
            }

            _loggedOnce = true;
            _lastFailureLog = now;
            suppressed = _suppressedFailures;
            _suppressedFailures = 0;
        }

        // The user name is the client's claim, possibly hostile: cap it for the log.
        var shownUser = user.Length > 64 ? user[..64] + "…" : user;
        _logger.AuthFailed(shownUser, remote, reason, request.Method, request.Uri, suppressed);
    }

    private static ReadOnlySpan<byte> Scope(IPAddress remote, Span<byte> buffer) =>
        remote.TryWriteBytes(buffer, out var written) ? buffer[..written] : [];

    private sealed record Account(byte[] NameHash, byte[] PasswordHash, string Name, string HashA1);
}
