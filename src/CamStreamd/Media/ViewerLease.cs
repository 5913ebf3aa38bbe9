namespace CamStreamd.Media;

/// <summary>Keeps one viewer counted in <see cref="StreamCounters"/> until disposed (once).</summary>
public sealed class ViewerLease : IDisposable
{
    private StreamCounters? _counters;

    internal ViewerLease(StreamCounters counters, ViewerProtocol protocol)
    {
        _counters = counters;
        Protocol = protocol;
    }

    /// <summary>The protocol the viewer is counted under.</summary>
    public ViewerProtocol Protocol { get; }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _counters, null)?.RemoveViewer(Protocol);
}
