namespace CamStreamd.Media;

/// <summary>Where a pulled stream's connection to its upstream RTSP server is (API <c>upstream.state</c>).</summary>
public enum UpstreamState
{
    /// <summary>Connecting, authenticating, DESCRIBE/SETUP/PLAY in progress.</summary>
    Connecting,

    /// <summary>PLAY answered; media flows (or is awaited).</summary>
    Playing,

    /// <summary>The last attempt failed; the next one waits for the backoff.</summary>
    Retrying,

    /// <summary>Not running (stream stopped).</summary>
    Stopped,
}
