using System.Buffers.Binary;
using System.Security.Cryptography;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Issues and checks Digest nonces without a table: a nonce is
/// <c>hex(issued-ms, 8 bytes) || hex(HMAC-SHA256(secret, issued-ms || scope)[0..16])</c>, where the
/// secret is random per issuer (per server run) and the scope binds the nonce to the client's
/// address. Any nonce with a good MAC was issued here; its age decides valid or stale.
/// Replays within the lifetime are not detected (that would need nc tracking per nonce).
/// </summary>
public sealed class DigestNonceIssuer
{
    /// <summary>Length of a nonce in characters (8 + 16 bytes as hex).</summary>
    public const int NonceLength = (TimeBytes + MacBytes) * 2;

    private const int TimeBytes = 8;
    private const int MacBytes = 16;
    private const int MaxScopeBytes = 64;

    private readonly byte[] _secret = KernelRandom.GetBytes(32);
    private readonly TimeProvider _time;
    private readonly long _origin;

    /// <summary>Creates an issuer with a fresh random secret.</summary>
    /// <param name="lifetime">How long a nonce stays valid.</param>
    /// <param name="time">The clock (monotonic timestamps are used: wall-clock steps do not matter).</param>
    public DigestNonceIssuer(TimeSpan lifetime, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        Lifetime = lifetime;
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>How long a nonce stays valid.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>A new nonce for a client identified by <paramref name="scope"/> (e.g. its address bytes).</summary>
    public string Issue(ReadOnlySpan<byte> scope)
    {
        Span<byte> nonce = stackalloc byte[TimeBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(nonce, NowMilliseconds());
        Mac(nonce[..TimeBytes], scope, nonce[TimeBytes..]);
        return Convert.ToHexStringLower(nonce);
    }

    /// <summary>Checks a nonce the client echoed back for the same <paramref name="scope"/> it was issued to.</summary>
    public DigestNonceValidity Check(string nonce, ReadOnlySpan<byte> scope)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        Span<byte> bytes = stackalloc byte[TimeBytes + MacBytes];
        if (nonce.Length != NonceLength
            || Convert.FromHexString(nonce, bytes, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != bytes.Length)
        {
            return DigestNonceValidity.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(bytes[..TimeBytes], scope, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[TimeBytes..]))
        {
            return DigestNonceValidity.Invalid;
        }

        var issued = BinaryPrimitives.ReadInt64BigEndian(bytes);
        var age = NowMilliseconds() - issued;
        return age >= 0 && age <= (long)Lifetime.TotalMilliseconds ? DigestNonceValidity.Valid : DigestNonceValidity.Stale;
    }

    private long NowMilliseconds() => (long)_time.GetElapsedTime(_origin).TotalMilliseconds;

    private void Mac(ReadOnlySpan<byte> time, ReadOnlySpan<byte> scope, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scope.Length, MaxScopeBytes, nameof(scope));
        Span<byte> message = stackalloc byte[TimeBytes + MaxScopeBytes];
        time.CopyTo(message);
        scope.CopyTo(message[TimeBytes..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, message[..(TimeBytes + scope.Length)], mac);
        mac[..MacBytes].CopyTo(destination);
    }
}
