using System.Text.Json;
using CamStreamd.Configuration;

namespace CamStreamd.Hosting;

/// <summary>
/// The settings a reload cannot apply: the RTSP listener (address, port, session timeout,
/// multicast, auth), the HTTP listener, the WebRTC port and its settings, and the GPIO lines (pulsed once at start). A reload logs
/// each changed one as needing <c>systemctl restart camstreamd</c>.
/// </summary>
public static class RestartRequiredSettings
{
    /// <summary>The keys whose value differs between <paramref name="running"/> and <paramref name="next"/>, in file order.</summary>
    public static IReadOnlyList<string> Changed(CamStreamdOptions running, CamStreamdOptions next)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(next);
        var changed = new List<string>();
        var (a, b) = (running.Rtsp, next.Rtsp);
        Add(changed, "rtsp.listenAddress", a.ListenAddress != b.ListenAddress);
        Add(changed, "rtsp.port", a.Port != b.Port);
        Add(changed, "rtsp.sessionTimeoutSeconds", a.SessionTimeoutSeconds != b.SessionTimeoutSeconds);
        Add(changed, "rtsp.maxConnections", a.MaxConnections != b.MaxConnections);
        Add(changed, "rtsp.maxConnectionsPerAddress", a.MaxConnectionsPerAddress != b.MaxConnectionsPerAddress);
        Add(changed, "rtsp.multicast", a.Multicast != b.Multicast);

        // Records holding lists compare the lists by reference: compare the sections' JSON instead.
        var context = CamStreamdJsonContext.Default;
        Add(changed, "rtsp.auth", JsonSerializer.Serialize(a.Auth, context.RtspAuthOptions) != JsonSerializer.Serialize(b.Auth, context.RtspAuthOptions));
        Add(changed, "http", running.Http != next.Http);
        Add(changed, "webrtc", JsonSerializer.Serialize(running.WebRtc, context.WebRtcOptions) != JsonSerializer.Serialize(next.WebRtc, context.WebRtcOptions));
        Add(changed, "gpio", JsonSerializer.Serialize(running.Gpio, context.GpioOptions) != JsonSerializer.Serialize(next.Gpio, context.GpioOptions));
        return changed;
    }

    private static void Add(List<string> changed, string key, bool differs)
    {
        if (differs)
        {
            changed.Add(key);
        }
    }
}
