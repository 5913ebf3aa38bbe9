using System.Globalization;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// An <c>rtsp://[user[:password]@]host[:port]/path</c> URL split the way a client needs it:
/// where to connect, the URL to put in requests (credentials removed: they never go on the wire
/// in the clear), and the credentials percent-decoded (RFC 3986 §3.2.1).
/// </summary>
/// <param name="Host">Host name or address (IPv6 without brackets).</param>
/// <param name="Port">TCP port (554 when the URL has none, RFC 2326 §3.2).</param>
/// <param name="RequestUrl">The URL without user info, as sent in request lines.</param>
/// <param name="Username">The user from the URL, or null.</param>
/// <param name="Password">The password from the URL, or null.</param>
public sealed record RtspUrl(string Host, int Port, string RequestUrl, string? Username, string? Password)
{
    /// <summary>The RTSP default port.</summary>
    public const int DefaultPort = 554;

    /// <summary>Parses an absolute rtsp:// URL; false with a reason when it is not one.</summary>
    public static bool TryParse(string url, out RtspUrl result, out string reason)
    {
        ArgumentNullException.ThrowIfNull(url);
        result = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            reason = "not an absolute URL with a host";
            return false;
        }

        if (!uri.Scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase))
        {
            reason = $"scheme \"{uri.Scheme}\" is not supported (only rtsp://)";
            return false;
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var port = uri.Port is > 0 and <= 65535 ? uri.Port : DefaultPort;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.Host;
        var requestUrl = string.Create(CultureInfo.InvariantCulture, $"rtsp://{host}:{port}{uri.PathAndQuery}");
        result = new RtspUrl(uri.HostNameType == UriHostNameType.IPv6 ? uri.IdnHost : uri.Host, port, requestUrl, user, password);
        reason = string.Empty;
        return true;
    }

    /// <summary>
    /// Resolves an SDP <c>a=control</c> value against the base URL (Content-Base, else
    /// Content-Location, else the DESCRIBE URL; RFC 2326 C.1.1): an absolute URL stays, <c>*</c> or
    /// empty means the base itself, anything else is appended to the base after one <c>/</c>
    /// (what ffmpeg and GStreamer do; strict RFC 3986 resolution would drop the base's last segment
    /// when it lacks a trailing slash, which breaks common cameras).
    /// </summary>
    public static string ResolveControl(string baseUrl, string? control)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (string.IsNullOrEmpty(control) || control == "*")
        {
            return baseUrl;
        }

        if (control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || control.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return control;
        }

        return baseUrl.EndsWith('/') ? baseUrl + control.TrimStart('/') : baseUrl + "/" + control.TrimStart('/');
    }
}
