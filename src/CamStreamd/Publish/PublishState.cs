namespace CamStreamd.Publish;

/// <summary>Where one publish target is.</summary>
public enum PublishState
{
    /// <summary>Not running (the stream was removed, or the daemon stops).</summary>
    Stopped,

    /// <summary>Waiting for the stream's first keyframe (its SPS and PPS go into the announcement).</summary>
    Waiting,

    /// <summary>Connecting and negotiating with the upstream server.</summary>
    Connecting,

    /// <summary>Sending the stream.</summary>
    Publishing,

    /// <summary>The last attempt or session failed; the next attempt comes after the backoff delay.</summary>
    Retrying,
}
