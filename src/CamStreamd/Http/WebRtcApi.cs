using System.Text.Json;
using CamStreamd.WebRtc.Plane;
using CamStreamd.WebRtc.Srtp;
using Microsoft.AspNetCore.Http;

namespace CamStreamd.Http;

/// <summary><c>GET /api/webrtc</c> and the WebRTC lines of <c>/metrics</c>.</summary>
internal static class WebRtcApi
{
    /// <summary>The response for <paramref name="plane"/> (null: disabled).</summary>
    public static WebRtcResponse Describe(WebRtcPlane? plane)
    {
        if (plane is null)
        {
            return new WebRtcResponse(false, null, [], 0, 0, new Dictionary<string, long>(), []);
        }

        var c = plane.Counters;
        var dropped = new Dictionary<string, long>
        {
            ["malformedStun"] = c.StunMalformed,
            ["unauthenticated"] = c.StunUnauthenticated,
            ["unknownUfrag"] = c.StunUnknownUfrag,
            ["badIntegrity"] = c.StunBadIntegrity,
            ["unknownSource"] = c.UnknownSource,
            ["unknownKind"] = c.UnknownKind,
        };
        var sessions = plane.Sessions.OrderBy(s => s.CreatedAt).Select(Session).ToList();
        return new WebRtcResponse(true, plane.Port, [.. plane.Candidates.Select(a => a.ToString())], plane.SessionsEnded, c.Datagrams, dropped, sessions);
    }

    /// <summary>Writes the response.</summary>
    public static Task WriteAsync(HttpContext context, WebRtcPlane? plane)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, Describe(plane), HttpJsonContext.Default.WebRtcResponse, context.RequestAborted);
    }

    /// <summary>The WebRTC port's families: sessions by state, datagrams received and dropped by reason.</summary>
    public static void WriteMetrics(System.Text.StringBuilder text, WebRtcPlane? plane)
    {
        if (plane is null)
        {
            return;
        }

        var response = Describe(plane);
        MetricsWriter.Family(text, "camstreamd_webrtc_sessions", "gauge", "WebRTC sessions now, by state (playing sessions are also in camstreamd_clients{protocol=\"webrtc\"}).");
        foreach (var state in new[] { WebRtcSessionState.New, WebRtcSessionState.Connecting, WebRtcSessionState.Playing })
        {
            var name = state.ToString().ToLowerInvariant();
            MetricsWriter.Sample(text, "camstreamd_webrtc_sessions", [("state", name)], response.Sessions.Count(s => s.State == name));
        }

        MetricsWriter.Family(text, "camstreamd_webrtc_sessions_ended_total", "counter", "WebRTC sessions ended (DELETE, consent timeout, never connected, DTLS failure, stream gone).");
        MetricsWriter.Sample(text, "camstreamd_webrtc_sessions_ended_total", [], response.SessionsEnded);
        MetricsWriter.Family(text, "camstreamd_webrtc_datagrams_total", "counter", "Datagrams received on the WebRTC UDP port.");
        MetricsWriter.Sample(text, "camstreamd_webrtc_datagrams_total", [], response.Datagrams);
        MetricsWriter.Family(text, "camstreamd_webrtc_datagrams_dropped_total", "counter", "Datagrams the WebRTC UDP port dropped, by reason.");
        foreach (var (reason, count) in response.Dropped)
        {
            MetricsWriter.Sample(text, "camstreamd_webrtc_datagrams_dropped_total", [("reason", reason)], count);
        }
    }

    private static WebRtcSessionInfo Session(WebRtcSession s)
    {
        var stats = s.Stats;
        return new WebRtcSessionInfo(
            s.Id, s.StreamName, s.State.ToString().ToLowerInvariant(), s.SelectedEndPoint?.ToString(), s.CreatedAt, s.PayloadType,
            stats.BytesSent, stats.PacketsSent, stats.FramesSent, stats.FramesDropped, stats.NacksReceived, stats.PacketsResent,
            stats.PlisReceived, stats.FirsReceived, stats.RoundTripMilliseconds, s.HandshakeDuration?.TotalMilliseconds,
            s.SrtpProfile is { } profile ? SrtpNames.Of(profile) : null);
    }
}
