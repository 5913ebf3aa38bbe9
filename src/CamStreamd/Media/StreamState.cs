using CamStreamd.Media;

namespace CamStreamd.Media;

/// <summary>Where a stream's pipeline is (reported by the HTTP API, metrics and the systemd watchdog).</summary>
public enum StreamState
{
    /// <summary>Opening the source and encoder; no frame yet.</summary>
    Starting,

    /// <summary>Frames flow from the source.</summary>
    Running,

    /// <summary>The camera is missing or failed; a "NO SIGNAL" placeholder flows while it is reopened.</summary>
    NoSignal,

    /// <summary>The source or encoder failed and is being reopened after a backoff; no frames flow.</summary>
    Failed,

    /// <summary>Stopped (by the API, a reload or shutdown).</summary>
    Stopped,
}
