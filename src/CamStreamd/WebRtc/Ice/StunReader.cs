using System.Buffers.Binary;
using System.Net;

namespace CamStreamd.WebRtc.Ice;

/// <summary>
/// Reads one STUN message (RFC 8489 §5, §14) from a datagram without allocating: checks the
/// header, walks the attributes (each padded to 4 bytes), notes where the ones ICE needs are, and
/// checks FINGERPRINT when present. MESSAGE-INTEGRITY is checked by <see cref="StunIntegrity"/>
/// once the USERNAME has named the session whose password is the key.
/// </summary>
internal static class StunReader
{
    /// <summary>Reads <paramref name="datagram"/> into <paramref name="info"/>.</summary>
    public static StunParseStatus TryRead(ReadOnlySpan<byte> datagram, out StunMessageInfo info)
    {
        info = default;
        info.UsernameOffset = info.IntegrityOffset = info.FingerprintOffset = info.XorMappedOffset = -1;
        if (datagram.Length < StunConstants.HeaderLength || (datagram[0] & 0xC0) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunConstants.MagicCookie)
        {
            return StunParseStatus.NotStun;
        }

        info.Type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0 || length + StunConstants.HeaderLength != datagram.Length)
        {
            return StunParseStatus.BadLength;
        }

        var offset = StunConstants.HeaderLength;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4)
            {
                return StunParseStatus.BadAttribute;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int valueLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            var valueOffset = offset + 4;
            var padded = (valueLength + 3) & ~3;
            if (padded > datagram.Length - valueOffset)
            {
                return StunParseStatus.BadAttribute;
            }

            if (info.FingerprintOffset >= 0)
            {
                // RFC 8489 §14.7: FINGERPRINT is the last attribute.
                return StunParseStatus.BadFingerprint;
            }

            var status = info.IntegrityOffset >= 0 && type != StunConstants.Fingerprint
                ? StunParseStatus.Ok // §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored
                : ReadAttribute(datagram, type, offset, valueOffset, valueLength, ref info);
            if (status != StunParseStatus.Ok)
            {
                return status;
            }

            offset = valueOffset + padded;
        }

        return StunParseStatus.Ok;
    }

    private static StunParseStatus ReadAttribute(ReadOnlySpan<byte> datagram, ushort type, int offset, int valueOffset, int valueLength, ref StunMessageInfo info)
    {
        var value = datagram.Slice(valueOffset, valueLength);
        switch (type)
        {
            case StunConstants.Username:
                if (valueLength > StunConstants.MaxUsernameLength)
                {
                    return StunParseStatus.BadAttribute;
                }

                info.UsernameOffset = valueOffset;
                info.UsernameLength = valueLength;
                break;
            case StunConstants.MessageIntegrity:
                if (valueLength != StunConstants.IntegrityLength)
                {
                    return StunParseStatus.BadAttribute;
                }

                info.IntegrityOffset = offset;
                break;
            case StunConstants.Fingerprint:
                if (valueLength != 4)
                {
                    return StunParseStatus.BadAttribute;
                }

                var expected = Crc32.Compute(datagram[..offset]) ^ StunConstants.FingerprintXor;
                if (BinaryPrimitives.ReadUInt32BigEndian(value) != expected || valueOffset + 4 != datagram.Length)
                {
                    return StunParseStatus.BadFingerprint;
                }

                info.FingerprintOffset = offset;
                break;
            case StunConstants.XorMappedAddress:
                if (valueLength is not (8 or 20))
                {
                    return StunParseStatus.BadAttribute;
                }

                info.XorMappedOffset = valueOffset;
                info.XorMappedLength = valueLength;
                break;
            case StunConstants.Priority:
                if (valueLength != 4)
                {
                    return StunParseStatus.BadAttribute;
                }

                info.Priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                break;
            case StunConstants.UseCandidate:
                info.UseCandidate = true;
                break;
            case StunConstants.IceControlling:
                info.Controlling = true;
                break;
            case StunConstants.ErrorCode:
                if (valueLength < 4)
                {
                    return StunParseStatus.BadAttribute;
                }

                info.ErrorCode = ((value[2] & 0x07) * 100) + value[3];
                break;
        }

        return StunParseStatus.Ok;
    }

    /// <summary>The address a response's XOR-MAPPED-ADDRESS names (tests and the load client; allocates).</summary>
    public static IPEndPoint? MappedEndPoint(ReadOnlySpan<byte> datagram, in StunMessageInfo info)
    {
        if (info.XorMappedOffset < 0)
        {
            return null;
        }

        var value = datagram.Slice(info.XorMappedOffset, info.XorMappedLength);
        var port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunConstants.MagicCookie >> 16);
        Span<byte> mask = stackalloc byte[16];
        datagram[4..20].CopyTo(mask);
        var address = new byte[value.Length - 4];
        for (var i = 0; i < address.Length; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        return new IPEndPoint(new IPAddress(address), port);
    }
}
