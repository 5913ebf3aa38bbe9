using System.Runtime.CompilerServices;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>The server's multicast state: the group allocation and one <see cref="MulticastSender"/> per stream hub.</summary>
internal sealed class MulticastGroups
{
    private readonly RtspMulticastSettings _settings;
    private readonly ILogger _logger;
    private readonly MulticastAddressAllocator _allocator;
    private readonly TimeSpan _rtcpInterval;
    private readonly string _serverName;

    // Weak keys: a hub replaced by a reload does not keep its sender alive.
    private readonly ConditionalWeakTable<StreamHub, MulticastSender> _senders = [];

    public MulticastGroups(RtspMulticastSettings settings, ILogger logger, TimeSpan rtcpInterval, string serverName)
    {
        _rtcpInterval = rtcpInterval;
        _serverName = serverName;
        _settings = settings;
        _logger = logger;
        _allocator = new MulticastAddressAllocator(settings.AddressRange, settings.BasePort);
        logger.MulticastEnabled(settings.AddressRange, settings.Ttl);
    }

    /// <summary>The sender of <paramref name="hub"/>, or null when it has none yet.</summary>
    public MulticastSender? Find(StreamHub hub) => _senders.TryGetValue(hub, out var sender) ? sender : null;

    /// <summary>A transport for a new multicast session of <paramref name="hub"/>; null when the range is full.</summary>
    public MulticastTransport? CreateTransport(StreamHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (!_allocator.TryAllocate(hub.Name, out var group))
        {
            _logger.RangeFull(hub.Name, _settings.AddressRange);
            return null;
        }

        var sender = _senders.GetValue(hub, h => new MulticastSender(h, group, _settings.Ttl, _logger, _rtcpInterval, $"{_serverName}-{h.Name}@{group.Address}"));
        return new MulticastTransport(sender, hub);
    }
}
