using System.Buffers.Binary;

namespace CamStreamd.Tests.WebRtc;

/// <summary>The RTP and RTCP packets the SRTP tests protect: a numbered RTP packet with a patterned payload and an RR with one report block.</summary>
internal static class SrtpTestPackets
{
    /// <summary>An RTP packet (PT 102, SSRC 0x12345678) of <paramref name="payload"/> bytes at <paramref name="sequence"/>; returns its length.</summary>
    public static int MakeRtp(byte[] buffer, ushort sequence, int payload)
    {
        buffer[0] = 0x80;
        buffer[1] = 102;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), 90_000u * sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0x1234_5678);
        for (var i = 0; i < payload; i++)
        {
            buffer[12 + i] = (byte)(i * 7);
        }

        return 12 + payload;
    }

    /// <summary>An RR with one report block (32 bytes).</summary>
    public static int MakeRtcp(byte[] buffer)
    {
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), 0xCAFE_BABE);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), 0x1234_5678);
        for (var i = 12; i < 32; i++)
        {
            buffer[i] = (byte)i;
        }

        return 32;
    }
}
