using CamStreamd.Interop.Libc;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// The RTSP/UDP fan-out batch when the kernel will not take part of it (through
/// <see cref="RefusingBatchPort"/> on the server's real shared port): a viewer whose messages are
/// refused sends its frames itself while the others stay in the batches, and a full send buffer
/// moves the viewers the batch did not reach to their own drains. Nobody loses a packet.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspUdpFanoutFailureTests
{
    private const int Viewers = 4;

    private readonly RtspClipFixture _clips;

    public RtspUdpFanoutFailureTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task A_viewer_whose_messages_the_kernel_refuses_sends_its_frames_itself_and_the_others_keep_every_packet()
    {
        using var logs = new ListLoggerFactory();
        await using var harness = RtspTestHarness.Start(_clips.Gop30, loggerFactory: logs);
        await using var viewers = await UdpViewerGroup.StartAsync(harness, Viewers);
        var port = viewers.RefuseThroughBatchPort();
        port.Refusal.Refuse(viewers.Address(1), Errno.EINVAL);

        var (published, calls) = await viewers.DeliverAsync(60, () => port.Calls);

        // Each batch stops at the refused viewer and goes on after it: two calls a frame, not one per viewer.
        Assert.True(port.Refusal.Refusals >= published, $"{port.Refusal.Refusals} refusals for {published} frames");
        Assert.True(calls <= (2 * published) + 10, $"{calls} sendmmsg calls for {published} frames");
        viewers.AssertEveryPacketOnce();
        Assert.All(Enumerable.Range(0, Viewers), i => Assert.Equal(0, viewers.Drains(i)));

        // The kernel says EINVAL to a segmented message it cannot segment: the port stops segmenting
        // (a keyframe's run to viewer 1 was refused) and says so once, however many refusals follow.
        if (SegmentedDatagrams.Enabled)
        {
            Assert.False(port.SegmentsDatagrams, "the port still segments after the kernel refused a segmented message");
            var line = Assert.Single(logs.WithId(1026));
            Assert.Contains("EINVAL", line.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(logs.WithId(1026));
        }
    }

    [Fact]
    public async Task A_full_send_buffer_mid_batch_moves_the_viewers_left_to_their_drains_and_nothing_is_lost()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        await using var viewers = await UdpViewerGroup.StartAsync(harness, Viewers);
        var port = viewers.RefuseThroughBatchPort();
        port.Refusal.Refuse(viewers.Address(2), Errno.EAGAIN, times: 3);

        await viewers.DeliverAsync(60, () => port.Calls);

        Assert.Equal(3, port.Refusal.Refusals);
        viewers.AssertEveryPacketOnce();

        // The batch reached viewers 0 and 1 whole; 2 and 3 sent the rest of those frames on their own.
        Assert.Equal(0, viewers.Drains(0));
        Assert.Equal(0, viewers.Drains(1));
        Assert.True(viewers.Drains(2) >= 1, "the viewer the full buffer hit did not drain");
        Assert.True(viewers.Drains(3) >= 1, "the viewer after it did not drain");
    }
}
