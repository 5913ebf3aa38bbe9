using System.Buffers.Binary;
using System.Globalization;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// A TCP-interleaved connection has two kinds of writer: the fan-out's direct writes, which never
/// wait, and the waiting writers (responses, a viewer's drain). They exclude each other without a
/// shared lock (<see cref="RtspConnection"/>'s two flags), so a response must still land between
/// two interleaved frames, never inside one.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspTcpWriterExclusionTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private readonly RtspClipFixture _clips;

    public RtspTcpWriterExclusionTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Responses_on_a_playing_tcp_connection_land_between_frames_and_no_packet_is_cut()
    {
        // A 4 KiB send buffer takes only part of most frames: the viewer drains (a waiting writer)
        // and comes back to the passes (direct writes) all the time, while requests come in.
        var options = new RtspServerOptions { SocketSendBufferSize = 4096 };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using var client = new RawRtspClient(harness.Port, receiveBufferSize: 4096);
        var session = (await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);

        ushort? previous = null;
        var packets = 0;
        async Task<bool> ReadOneAsync()
        {
            // Between frames comes either the next frame or a response ("RTSP/1.0 ..."); anything
            // else is the middle of a frame, cut by a write inside it.
            var next = await client.PeekByteAsync().WaitAsync(ReadTimeout);
            if (next != '$')
            {
                Assert.True(next == 'R', $"byte {next} where a frame or a response begins, after {packets} packets");
                return false;
            }

            // ReadInterleavedAsync asserts the '$' of every frame: a response written inside a frame
            // shifts every header after it.
            var (channel, data) = await client.ReadInterleavedAsync().WaitAsync(ReadTimeout);
            if (channel == 0)
            {
                var seq = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2, 2));
                if (previous is { } p)
                {
                    Assert.Equal((ushort)(p + 1), seq);
                }

                previous = seq;
                packets++;
            }

            return true;
        }

        for (var cseq = 100; cseq < 160; cseq++)
        {
            // A few packets between requests spread them over the stream, at no fixed point of a frame.
            for (var i = 0; i <= cseq % 5; i++)
            {
                Assert.True(await ReadOneAsync(), "an unasked response");
            }

            await client.SendRawAsync($"GET_PARAMETER {harness.Url} RTSP/1.0\r\nCSeq: {cseq}\r\nSession: {session}\r\n\r\n");
            while (await ReadOneAsync())
            {
            }

            var response = await client.ReadResponseAsync().WaitAsync(ReadTimeout);
            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            Assert.Equal(cseq.ToString(CultureInfo.InvariantCulture), response["CSeq"]);
        }
    }
}
