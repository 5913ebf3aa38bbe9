using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace CamStreamd.Media;

/// <summary>The running streams by name, shared by every output (RTSP, HTTP, ...).</summary>
public sealed class StreamHubRegistry
{
    private readonly ConcurrentDictionary<string, StreamHub> _hubs = new(StringComparer.Ordinal);

    /// <summary>Names of the running streams.</summary>
    public IReadOnlyCollection<string> Names => [.. _hubs.Keys];

    /// <summary>Every running hub.</summary>
    public IReadOnlyCollection<StreamHub> Hubs => [.. _hubs.Values];

    /// <summary>Adds a hub; false when the name is taken.</summary>
    public bool TryAdd(StreamHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        return _hubs.TryAdd(hub.Name, hub);
    }

    /// <summary>Finds a hub by its exact name.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out StreamHub hub) => _hubs.TryGetValue(name, out hub);

    /// <summary>Removes a hub (the caller disposes it).</summary>
    public bool TryRemove(string name, [MaybeNullWhen(false)] out StreamHub hub) => _hubs.TryRemove(name, out hub);
}
