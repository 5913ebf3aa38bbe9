using CamStreamd.Media;

namespace CamStreamd.Rtsp;

/// <summary>The UDP half of the pass: a UDP viewer stages its frames in the fan-out's <see cref="UdpFanoutBatch"/>, which tells it what went.</summary>
internal sealed partial class RtspSessionSender
{
    /// <summary>
    /// Stages the next unit with a packet in <paramref name="batch"/> (units without one are counted
    /// as sent); true when this pass is done with the viewer. False when a unit too large for any
    /// batch went on the viewer's own send and the viewer is still served: the caller goes on with
    /// the queue the same way.
    /// </summary>
    private bool StageNext(HubSubscription subscription, UdpUnicastTransport udp, UdpFanoutBatch batch, long now)
    {
        while (subscription.TryRead(out var unit))
        {
            if (unit.Rtp.PacketCount == 0)
            {
                Account(unit, udp);
                unit.Release();
                continue;
            }

            if (batch.TryStage(this, unit, udp.Ports, udp.Sockaddr, now))
            {
                return true;
            }

            // Larger than a whole batch: this viewer sends it on its own.
            OnStagedSent(unit, 0, wouldBlock: false, now);
            return Volatile.Read(ref _mode) != Serving;
        }

        return true;
    }

    /// <summary>
    /// The batch sent <paramref name="datagrams"/> of a unit this viewer staged (the batch hands back
    /// the reference): a refused rest goes out on the viewer's own send, a rest a full buffer held
    /// back starts a drain. True when the viewer is still served and has more queued (the fan-out
    /// serves it again).
    /// </summary>
    public bool OnStagedSent(AccessUnit unit, int datagrams, bool wouldBlock, long now)
    {
        var udp = _udp!;
        try
        {
            if (datagrams < unit.Rtp.PacketCount && !wouldBlock)
            {
                datagrams = udp.TrySendFrom(unit, datagrams, out wouldBlock);
            }

            if (datagrams < unit.Rtp.PacketCount)
            {
                StartDrain(unit, datagrams, null, 0);
                return false;
            }

            Account(unit, udp);
            unit.Release();
        }
        catch (Exception ex)
        {
            // Never thrown back into the batch, which goes on with the other viewers.
            unit.Release();
            Volatile.Write(ref _mode, Gone);
            _logger.SendLoopEnded(_sessionId, ex);
            return false;
        }

        return TryReportNow(udp, now) && _subscription is { HasQueued: true };
    }
}
