using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Ice;

/// <summary>
/// MESSAGE-INTEGRITY (RFC 8489 §14.5) with short-term credentials: HMAC-SHA1 keyed with the
/// password, over the message up to the attribute, with the header's length counting up to and
/// including MESSAGE-INTEGRITY (so a FINGERPRINT after it is not covered).
/// </summary>
internal static class StunIntegrity
{
    /// <summary>Largest message checked (an ICE check is about 100 bytes; a UDP datagram over Ethernet ≤ 1500).</summary>
    public const int MaxMessageLength = 1500;

    /// <summary>
    /// True when the MESSAGE-INTEGRITY at <paramref name="integrityOffset"/> matches <paramref name="key"/>.
    /// <paramref name="scratch"/> (≥ <paramref name="integrityOffset"/> bytes) takes the covered bytes with the adjusted length.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> message, int integrityOffset, ReadOnlySpan<byte> key, Span<byte> scratch)
    {
        if (integrityOffset < StunConstants.HeaderLength || integrityOffset + 4 + StunConstants.IntegrityLength > message.Length || scratch.Length < integrityOffset)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[StunConstants.IntegrityLength];
        Compute(message[..integrityOffset], key, scratch, mac);
        return CryptographicOperations.FixedTimeEquals(mac, message.Slice(integrityOffset + 4, StunConstants.IntegrityLength));
    }

    /// <summary>
    /// Computes the HMAC of <paramref name="covered"/> (the message up to where MESSAGE-INTEGRITY
    /// goes) as if its header's length ended just after the attribute.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> covered, ReadOnlySpan<byte> key, Span<byte> scratch, Span<byte> mac)
    {
        var copy = scratch[..covered.Length];
        covered.CopyTo(copy);
        BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)(covered.Length - StunConstants.HeaderLength + 4 + StunConstants.IntegrityLength));
#pragma warning disable CA5350 // RFC 8489 §14.5 and RFC 8445 fix HMAC-SHA1 for ICE checks; it is the protocol, not our choice.
        HMACSHA1.HashData(key, copy, mac);
#pragma warning restore CA5350
    }
}
