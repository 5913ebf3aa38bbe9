using System.Globalization;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp;

/// <summary>
/// A session's share of its stream's <see cref="MulticastSender"/>: no socket and no send loop of
/// its own. PLAY joins the group's sender (counted as a multicast viewer), PAUSE and the end of
/// the session leave it. The session ends with its RTSP connection (RTCP from multicast viewers
/// goes to the group, so it cannot serve as a keepalive).
/// </summary>
internal sealed class MulticastTransport : RtpTransport
{
    private readonly MulticastSender _sender;
    private readonly StreamHub _hub;
    private readonly Lock _gate = new();
    private ViewerLease? _lease;

    public MulticastTransport(MulticastSender sender, StreamHub hub)
    {
        _sender = sender;
        _hub = hub;
    }

    /// <summary><c>RTP/AVP;multicast;destination=G;port=P-P+1;ttl=T[;ssrc=S]</c> (RFC 2326 §12.39).</summary>
    public override TransportSpec Reply => new()
    {
        LowerTransport = RtspLowerTransport.Udp,
        Multicast = true,
        Destination = _sender.Group.Address.ToString(),
        Port = (_sender.Group.Port, _sender.Group.Port + 1),
        Ttl = _sender.Ttl,
        Ssrc = _sender.Ssrc,
    };

    public override string Name => string.Create(CultureInfo.InvariantCulture, $"UDP multicast {_sender.Group}");

    /// <summary>Joins the group's sender once (PLAY); returns the RTP-Info start.</summary>
    public Task<(ushort Seq, uint RtpTime)?> JoinAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_lease is not null)
            {
                return Task.FromResult<(ushort, uint)?>(null);
            }

            _lease = _hub.Counters.AddViewer(ViewerProtocol.RtspMulticast);
        }

        return _sender.JoinAsync(wait, cancellationToken);
    }

    /// <summary>Makes sure the group's send loop runs (after the PLAY response).</summary>
    public void Activate() => _sender.Activate();

    /// <summary>Leaves the group's sender (PAUSE, TEARDOWN, connection closed). Idempotent.</summary>
    public void Leave()
    {
        ViewerLease? lease;
        lock (_gate)
        {
            lease = _lease;
            _lease = null;
        }

        if (lease is not null)
        {
            lease.Dispose();
            _sender.Leave();
        }
    }

    /// <summary>Never called: the group's sender sends for every session.</summary>
    public override ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public override ValueTask DisposeAsync()
    {
        Leave();
        return ValueTask.CompletedTask;
    }
}
