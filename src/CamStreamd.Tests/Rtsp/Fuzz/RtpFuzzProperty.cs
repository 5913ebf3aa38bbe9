using System.Buffers.Binary;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Tests.Rtp;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz targets for what the server reads from RTP peers: the RTP header
/// (<see cref="RtpHeader.TryRead"/>: never throws, the payload it finds lies inside the packet)
/// and the H.264 depacketizer (<see cref="H264Depacketizer"/>: never throws on any packet
/// sequence, counts every packet with a good header as received, and never emits an access unit over its size limit or
/// one not in Annex-B form).
/// </summary>
internal static class RtpFuzzProperty
{
    /// <summary>The depacketizer's access unit limit in the fuzz runs (small, so the limit is reached).</summary>
    private const int MaxAccessUnit = 16 * 1024;

    /// <summary>RTP header target; inputs are single packets.</summary>
    public static FuzzTarget Header { get; } = new("rtp-header", [.. PacketStream().Take(24)], CheckHeader);

    /// <summary>Depacketizer target; an input is a packet sequence, each packet preceded by its 16-bit big-endian length.</summary>
    public static FuzzTarget Depacketizer { get; } = new("h264-depacketizer", [[.. Framed(PacketStream())], [.. Framed(PacketStream().Skip(3).Take(8))]], CheckDepacketizer);

    private static void CheckHeader(byte[] packet)
    {
        var result = RtpHeader.TryRead(packet, out var header, out var offset, out var length);
        if (result != RtpParseResult.Ok)
        {
            return;
        }

        FuzzPropertyException.Require(
            offset >= RtpHeader.FixedLength && length >= 0 && offset + length <= packet.Length,
            $"payload at {offset}+{length} is outside a {packet.Length}-byte packet");
        FuzzPropertyException.Require(offset >= RtpHeader.FixedLength + (4 * header.CsrcCount), "payload overlaps the CSRC list");
        FuzzPropertyException.Require(header.PayloadType <= 127 && header.CsrcCount <= 15, "header fields out of range");
        FuzzPropertyException.Require(header.SequenceNumber == BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)), "sequence number misread");
    }

    private static void CheckDepacketizer(byte[] input)
    {
        var depacketizer = new H264Depacketizer(MaxAccessUnit, requireKeyframeFirst: input.Length % 2 == 0);
        var pushed = 0;
        var headerRejected = 0;
        var offset = 0;
        while (offset + 2 <= input.Length)
        {
            var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(offset)), input.Length - offset - 2);
            var result = depacketizer.Push(input.AsSpan(offset + 2, length));
            pushed++;
            headerRejected += result is H264DepacketizeResult.TooShort or H264DepacketizeResult.BadVersion or H264DepacketizeResult.BadPadding ? 1 : 0;
            offset += 2 + length;
            while (depacketizer.TryReadAccessUnit(out var unit))
            {
                var data = unit.AnnexB;
                FuzzPropertyException.Require(data.Length <= MaxAccessUnit, $"an access unit of {data.Length} bytes passed the {MaxAccessUnit}-byte limit");
                FuzzPropertyException.Require(data.Length >= 5 && data[..4].SequenceEqual((byte[])[0, 0, 0, 1]), "an access unit does not start with a 4-byte start code");
            }
        }

        // A packet whose RTP header is bad is not received; one whose payload is bad is both.
        FuzzPropertyException.Require(
            depacketizer.PacketsReceived == pushed - headerRejected && depacketizer.PacketsMalformed >= headerRejected,
            $"{pushed} packets pushed, {headerRejected} with a bad header: {depacketizer.PacketsReceived} received, {depacketizer.PacketsMalformed} malformed");
    }

    /// <summary>RTP packets of a short synthetic GOP, packetized with small packets so FU-A fragments appear.</summary>
    private static List<byte[]> PacketStream()
    {
        var pool = new AccessUnitPool(1024, 16);
        var packetizer = new H264RtpPacketizer(0x1234, 65530, 0, maxPacketSize: 300);
        var packets = new List<byte[]>();
        for (var i = 0; i < 6; i++)
        {
            var nals = i % 3 == 0 ? RtpTestStreams.Keyframe(900, i) : [.. RtpTestStreams.PFrame(400, i), RtpTestStreams.Nal(0x41, 40, i + 100)];
            var unit = RtpTestStreams.Unit(pool, nals, i, i * 3000L);
            packetizer.Prepare(unit);
            packets.AddRange(RtpTestStreams.Packets(unit));
            unit.Release();
        }

        // A STAP-A (type 24) with SPS and PPS, and a packet with CSRCs, an extension and padding.
        packets.Add([0x80, 0x60, 0xFF, 0xF0, 0, 0, 0x46, 0x50, 0, 0, 0x12, 0x34, 24, 0, 4, 0x67, 1, 2, 3, 0, 2, 0x68, 9]);
        packets.Add([0xB1, 0xE0, 0xFF, 0xF1, 0, 0, 0x46, 0x50, 0, 0, 0x12, 0x34, 0, 0, 0, 7, 0xBE, 0xDE, 0, 1, 1, 2, 3, 4, 0x41, 0x9A, 1, 0, 0, 2]);
        return packets;
    }

    private static IEnumerable<byte> Framed(IEnumerable<byte[]> packets) =>
        packets.SelectMany(p => (byte[])[(byte)(p.Length >> 8), (byte)p.Length, .. p]);
}
