using System.Net;
using CamStreamd.Tests.WebRtc.Plane;
using CamStreamd.WebRtc.Ice;
using CamStreamd.WebRtc.Plane;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz target for what the WebRTC UDP port reads: <see cref="StunReader.TryRead"/> never throws
/// and every offset it gives is inside the datagram; <see cref="StunIntegrity.Verify"/> never
/// throws; and the port's demultiplexer (<c>WebRtcPort.Handle</c>, a real port with no session)
/// takes any datagram, answers nothing and counts it as dropped.
/// </summary>
internal static class StunFuzzProperty
{
    private static readonly Lazy<(WebRtcPort Port, SocketAddress From)> Port = new(() =>
        (WebRtcPort.Bind(0, new WebRtcSessionTable(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance),
         new IPEndPoint(IPAddress.Parse("::ffff:127.0.0.1"), 40000).Serialize()));

    /// <summary>The STUN/demux target; an input is one UDP datagram.</summary>
    public static FuzzTarget Target { get; } = new("stun", Seeds(), Check);

    private static void Check(byte[] datagram)
    {
        if (StunReader.TryRead(datagram, out var info) == StunParseStatus.Ok)
        {
            FuzzPropertyException.Require(info.UsernameOffset < 0 || info.UsernameOffset + info.UsernameLength <= datagram.Length, "USERNAME past the end");
            FuzzPropertyException.Require(info.IntegrityOffset < 0 || info.IntegrityOffset + 24 <= datagram.Length, "MESSAGE-INTEGRITY past the end");
            FuzzPropertyException.Require(info.FingerprintOffset < 0 || info.FingerprintOffset + 8 == datagram.Length, "FINGERPRINT not last");
            FuzzPropertyException.Require(info.XorMappedOffset < 0 || info.XorMappedOffset + info.XorMappedLength <= datagram.Length, "XOR-MAPPED-ADDRESS past the end");
            if (info.IntegrityOffset >= 0)
            {
                _ = StunIntegrity.Verify(datagram, info.IntegrityOffset, StunTests.VectorKey, new byte[StunIntegrity.MaxMessageLength]);
            }

            _ = StunReader.MappedEndPoint(datagram, info);
        }

        var (port, from) = Port.Value;
        var dropped = port.Counters.Dropped;
        port.Handle(datagram, from);
        FuzzPropertyException.Require(port.Counters.Dropped == dropped + 1, "a datagram with no session was not counted as dropped");
    }

    private static byte[][] Seeds()
    {
        var request = new byte[256];
        var length = StunWriter.WriteBindingRequest(request, new byte[12], "abcdefgh:wxyz"u8, 0x6e0001ff, 1, true, System.Text.Encoding.UTF8.GetBytes("0123456789abcdefghijklmn"), new byte[1500]);
        return
        [
            StunTests.SampleRequest,
            StunTests.SampleIpv4Response,
            StunTests.SampleIpv6Response,
            request[..length],
            [22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 1, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 8],
            [0x80, 200, 0, 6, 1, 2, 3, 4],
        ];
    }
}
