namespace CamStreamd.Rtsp.Client;

/// <summary>
/// An IDR wanted from the upstream by the relay's viewers: set from any thread, taken by the pull
/// session, which sends the PLI (within its once-a-second limit) and clears it.
/// </summary>
public sealed class UpstreamKeyframeRequest
{
    private int _wanted;

    /// <summary>True while a request waits to be sent.</summary>
    public bool IsSet => Volatile.Read(ref _wanted) != 0;

    /// <summary>Asks for an IDR.</summary>
    public void Set() => Volatile.Write(ref _wanted, 1);

    /// <summary>The request was sent (or a new session starts, which asks anyway).</summary>
    public void Clear() => Volatile.Write(ref _wanted, 0);
}
