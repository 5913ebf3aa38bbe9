using System.Net;

namespace CamStreamd.Media;

/// <summary>
/// A connection (or session) held in a <see cref="ConnectionBudget"/>: its peer address, whether it
/// may be evicted for a newcomer right now, and how to evict it. RTSP connections, HTTP connections
/// and MJPEG viewers implement it today; WHEP sessions and the WebRTC UDP port's peers are meant to.
/// </summary>
public interface IBudgetedConnection
{
    /// <summary>The peer's address (the budget groups IPv6 peers by /64 itself).</summary>
    IPAddress RemoteAddress { get; }

    /// <summary>
    /// Whether the connection may be evicted now, and in which order. Called under the budget's
    /// lock: keep it cheap, and take no lock that is held while calling into the budget.
    /// </summary>
    EvictionRank Rank { get; }

    /// <summary>Closes the connection at once (called outside the budget's lock, at most once).</summary>
    void Evict();
}
