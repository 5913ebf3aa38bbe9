using System.Buffers.Binary;
using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>
/// A minimal RFC 6184 packetizer for tests only (the real one lives in Rtp/): single NAL unit
/// packets when they fit, FU-A fragments otherwise, packets ≤ 1400 bytes, marker on the last
/// packet of the access unit.
/// </summary>
internal sealed class TestRtpPreparer : IAccessUnitPreparer
{
    private const int MaxPacket = 1400;
    private const int RtpHeader = 12;
    private const byte PayloadType = 96;

    private ushort _sequence = 1000;

    public uint Ssrc { get; } = 0x1234ABCD;

    public void Prepare(AccessUnit unit)
    {
        var block = unit.Rtp;
        block.Clear();
        block.Ssrc = Ssrc;
        block.RtpTimestamp = (uint)unit.Timestamp90k;
        block.FirstSequenceNumber = _sequence;

        var count = 0;
        var reader = new AnnexBReader(unit.AnnexB);
        while (reader.TryReadNext(out _))
        {
            count++;
        }

        reader = new AnnexBReader(unit.AnnexB);
        var index = 0;
        while (reader.TryReadNext(out var nal))
        {
            var lastNal = ++index == count;
            if (RtpHeader + nal.Length <= MaxPacket)
            {
                var packet = block.BeginPacket(RtpHeader + nal.Length);
                WriteHeader(packet, lastNal, block.RtpTimestamp);
                nal.CopyTo(packet[RtpHeader..]);
                block.CommitPacket(RtpHeader + nal.Length);
                continue;
            }

            // FU-A (RFC 6184 §5.8): FU indicator = F|NRI|28, FU header = S|E|R|type.
            var indicator = (byte)((nal[0] & 0xE0) | 28);
            var type = (byte)(nal[0] & 0x1F);
            var payload = nal[1..];
            var chunkMax = MaxPacket - RtpHeader - 2;
            var first = true;
            while (!payload.IsEmpty)
            {
                var chunk = Math.Min(chunkMax, payload.Length);
                var end = chunk == payload.Length;
                var packet = block.BeginPacket(RtpHeader + 2 + chunk);
                WriteHeader(packet, lastNal && end, block.RtpTimestamp);
                packet[RtpHeader] = indicator;
                packet[RtpHeader + 1] = (byte)((first ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                payload[..chunk].CopyTo(packet[(RtpHeader + 2)..]);
                block.CommitPacket(RtpHeader + 2 + chunk);
                payload = payload[chunk..];
                first = false;
            }
        }
    }

    private void WriteHeader(Span<byte> packet, bool marker, uint timestamp)
    {
        // RFC 3550 §5.1: V=2, no padding/extension/CSRC; M bit on the unit's last packet.
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _sequence++);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Ssrc);
    }
}
