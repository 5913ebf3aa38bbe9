namespace CamStreamd.Interop.V4l2;

/// <summary>What <see cref="IV4l2Device.Poll"/> saw.</summary>
public enum V4l2PollResult
{
    /// <summary>A filled buffer can be dequeued.</summary>
    Ready,

    /// <summary>Nothing within the timeout.</summary>
    Timeout,

    /// <summary>POLLERR/POLLHUP/POLLNVAL: the queue failed or the device is gone.</summary>
    Error,
}
