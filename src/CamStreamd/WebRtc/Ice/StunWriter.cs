using System.Buffers.Binary;
using System.Net.Sockets;

namespace CamStreamd.WebRtc.Ice;

/// <summary>
/// Writes the STUN messages of ICE into a caller's buffer without allocating: the binding success
/// response an ICE-lite agent sends (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT) and, for
/// tests and the load client, a binding request as a browser sends it.
/// </summary>
internal static class StunWriter
{
    /// <summary>Room a binding response needs: header 20 + XOR-MAPPED-ADDRESS (IPv6) 24 + MESSAGE-INTEGRITY 24 + FINGERPRINT 8.</summary>
    public const int MaxResponseLength = 76;

    /// <summary>
    /// Writes a binding success response to the request whose transaction id is
    /// <paramref name="transactionId"/>, telling the peer the address it was seen from
    /// (<paramref name="family"/>, <paramref name="port"/>, <paramref name="address"/>: 4 or 16 bytes,
    /// network order). Returns the length written.
    /// </summary>
    public static int WriteBindingSuccess(Span<byte> destination, ReadOnlySpan<byte> transactionId, AddressFamily family, int port, ReadOnlySpan<byte> address, ReadOnlySpan<byte> key, Span<byte> scratch)
    {
        var offset = WriteHeader(destination, StunConstants.BindingSuccess, transactionId);
        offset += WriteXorMappedAddress(destination[offset..], transactionId, family, port, address);
        return Finish(destination, offset, key, scratch);
    }

    /// <summary>
    /// Writes an ICE connectivity check (binding request) with USERNAME
    /// <paramref name="username"/> ("theirUfrag:ourUfrag", ASCII), PRIORITY, ICE-CONTROLLING and,
    /// when <paramref name="useCandidate"/>, USE-CANDIDATE. Returns the length written.
    /// </summary>
    public static int WriteBindingRequest(Span<byte> destination, ReadOnlySpan<byte> transactionId, ReadOnlySpan<byte> username, uint priority, ulong tieBreaker, bool useCandidate, ReadOnlySpan<byte> key, Span<byte> scratch)
    {
        var offset = WriteHeader(destination, StunConstants.BindingRequest, transactionId);
        offset += WriteAttribute(destination[offset..], StunConstants.Username, username);
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        offset += WriteAttribute(destination[offset..], StunConstants.Priority, value[..4]);
        BinaryPrimitives.WriteUInt64BigEndian(value, tieBreaker);
        offset += WriteAttribute(destination[offset..], StunConstants.IceControlling, value);
        if (useCandidate)
        {
            offset += WriteAttribute(destination[offset..], StunConstants.UseCandidate, []);
        }

        return Finish(destination, offset, key, scratch);
    }

    /// <summary>Appends MESSAGE-INTEGRITY and FINGERPRINT to the message of <paramref name="length"/> bytes; returns the new length.</summary>
    public static int Finish(Span<byte> message, int length, ReadOnlySpan<byte> key, Span<byte> scratch)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message[length..], StunConstants.MessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(message[(length + 2)..], StunConstants.IntegrityLength);
        StunIntegrity.Compute(message[..length], key, scratch, message.Slice(length + 4, StunConstants.IntegrityLength));
        length += 4 + StunConstants.IntegrityLength;

        // The FINGERPRINT's CRC covers the header with its final length (RFC 8489 §14.7).
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)(length + 8 - StunConstants.HeaderLength));
        BinaryPrimitives.WriteUInt16BigEndian(message[length..], StunConstants.Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(message[(length + 2)..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(message[(length + 4)..], Crc32.Compute(message[..length]) ^ StunConstants.FingerprintXor);
        return length + 8;
    }

    private static int WriteHeader(Span<byte> destination, ushort type, ReadOnlySpan<byte> transactionId)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StunConstants.MagicCookie);
        transactionId[..12].CopyTo(destination[8..]);
        return StunConstants.HeaderLength;
    }

    private static int WriteAttribute(Span<byte> destination, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)value.Length);
        value.CopyTo(destination[4..]);
        var padded = (value.Length + 3) & ~3;
        destination.Slice(4 + value.Length, padded - value.Length).Clear();
        return 4 + padded;
    }

    // RFC 8489 §14.2: port XORed with the cookie's top 16 bits, address with the cookie (and, for IPv6, the transaction id).
    private static int WriteXorMappedAddress(Span<byte> destination, ReadOnlySpan<byte> transactionId, AddressFamily family, int port, ReadOnlySpan<byte> address)
    {
        var v6 = family == AddressFamily.InterNetworkV6;
        var valueLength = v6 ? 20 : 8;
        BinaryPrimitives.WriteUInt16BigEndian(destination, StunConstants.XorMappedAddress);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)valueLength);
        destination[4] = 0;
        destination[5] = v6 ? (byte)0x02 : (byte)0x01;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)(port ^ (StunConstants.MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunConstants.MagicCookie);
        transactionId[..12].CopyTo(mask[4..]);
        var addressLength = v6 ? 16 : 4;
        for (var i = 0; i < addressLength; i++)
        {
            destination[8 + i] = (byte)(address[i] ^ mask[i]);
        }

        return 4 + valueLength;
    }
}
