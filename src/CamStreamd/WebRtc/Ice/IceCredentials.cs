using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Ice;

/// <summary>
/// Our side's ICE username fragment and password for one session (RFC 8839 §5.4: ice-chars, ufrag
/// at least 4, password at least 22 characters; random, so a session cannot be guessed).
/// </summary>
/// <param name="Ufrag">Our ice-ufrag (the first half of a check's USERNAME).</param>
/// <param name="Password">Our ice-pwd (the MESSAGE-INTEGRITY key of checks sent to us).</param>
internal sealed record IceCredentials(string Ufrag, string Password)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The password's UTF-8 bytes, the HMAC key (short-term credentials: the password itself).</summary>
    public byte[] Key { get; } = System.Text.Encoding.UTF8.GetBytes(Password);

    /// <summary>New random credentials: 8-character ufrag, 24-character password.</summary>
    public static IceCredentials Create() => new(
        RandomNumberGenerator.GetString(IceChars, 8),
        RandomNumberGenerator.GetString(IceChars, 24));
}
