namespace CamStreamd.Rtsp.Client;

/// <summary>
/// An IDR wanted from the upstream by the relay's viewers: set from any thread, taken by the pull
/// session, which sends the PLI (within its once-a-second limit) and clears it. Setting it wakes
/// the playing session (<see cref="Attach"/>), which otherwise sleeps until its next deadline.
/// </summary>
public sealed class UpstreamKeyframeRequest
{
    private int _wanted;
    private Action? _wake;

    /// <summary>True while a request waits to be sent.</summary>
    public bool IsSet => Volatile.Read(ref _wanted) != 0;

    /// <summary>Asks for an IDR.</summary>
    public void Set()
    {
        Volatile.Write(ref _wanted, 1);
        Volatile.Read(ref _wake)?.Invoke();
    }

    /// <summary>The request was sent (or a new session starts, which asks anyway).</summary>
    public void Clear() => Volatile.Write(ref _wanted, 0);

    /// <summary>The playing session's wake-up, called on <see cref="Set"/>; null when none plays.</summary>
    internal void Attach(Action? wake) => Volatile.Write(ref _wake, wake);
}
