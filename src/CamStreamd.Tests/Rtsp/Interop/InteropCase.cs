using System.Globalization;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// One row of the interop matrix: the peer's transport name as the peer spells it (ffmpeg
/// <c>-rtsp_transport tcp|udp|udp_multicast</c>, rtspsrc <c>protocols=tcp|udp|udp-mcast</c>) and the
/// authentication. It knows the daemon config the row needs (rows with the same
/// <see cref="DaemonKey"/> share one daemon: see <see cref="InteropDaemons"/>), the URL and
/// password the peer uses, and whether the peer must play or be refused. The daemon of the rows
/// without authentication runs in a network namespace with multicast on, so the unicast and the
/// multicast rows share it (multicast never touches the host's interfaces, TESTING.md).
/// </summary>
internal sealed record InteropCase(string Transport, InteropAuth Auth)
{
    /// <summary>The stream every row plays: 640x360 at 30 fps, GOP 30.</summary>
    public const int Width = 640;

    /// <summary>Frame height of the stream.</summary>
    public const int Height = 360;

    /// <summary>Frames each playing row must decode (issue 3: at least 150).</summary>
    public const int Frames = 150;

    /// <summary>The account the daemon knows in auth rows.</summary>
    public const string User = "viewer";

    /// <summary>That account's password: a space, a colon and a non-ASCII letter, so URL escaping and Digest's UTF-8 are exercised.</summary>
    public const string Password = "pa ss:wörd";

    /// <summary>True for the multicast transports.</summary>
    public bool Multicast => Transport is "udp_multicast" or "udp-mcast";

    /// <summary>Which daemon the row needs: its <c>rtsp.auth.mode</c> (right and wrong password rows share one).</summary>
    public string DaemonKey => Auth switch
    {
        InteropAuth.None => "none",
        InteropAuth.Basic or InteropAuth.BasicWrongPassword => "basic",
        _ => "digest",
    };

    /// <summary>The daemon runs in its own network namespace (the no-auth daemon, which also serves the multicast rows).</summary>
    public bool InNamespace => Auth == InteropAuth.None;

    /// <summary>The password the peer offers.</summary>
    public string PeerPassword => ExpectRefused ? "wrong-" + Password : Password;

    /// <summary>True when the peer offers a wrong password and must be refused (401), not play.</summary>
    public bool ExpectRefused => Auth is InteropAuth.BasicWrongPassword or InteropAuth.DigestWrongPassword;

    /// <summary>The daemon config of this row (one test-pattern stream cam0 on a free port).</summary>
    public string ConfigJson()
    {
        // Two accounts, so the right one must be picked by name.
        var auth = Auth == InteropAuth.None
            ? string.Empty
            : $$""", "auth": { "mode": "{{DaemonKey}}", "users": [ { "name": "other", "password": "x" }, { "name": "{{User}}", "password": "{{Password}}" } ] }""";
        var multicast = InNamespace ? """, "multicast": { "enabled": true, "addressRange": "239.255.42.0/24", "ttl": 1 }""" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0{{auth}}{{multicast}} },
              "streams": [
                { "name": "cam0",
                  "source": { "type": "testPattern", "width": {{Width}}, "height": {{Height}}, "fps": 30 },
                  "encoder": { "engine": "x264", "bitrate": 1500000, "gop": 30, "profile": "main" } }
              ]
            }
            """);
    }

    /// <summary>The URL with the row's credentials in it, percent-encoded (how ffmpeg takes them).</summary>
    public string UrlWithCredentials(DaemonProcess daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var url = daemon.Url("cam0");
        return Auth == InteropAuth.None
            ? url
            : url.Replace("rtsp://", $"rtsp://{User}:{Uri.EscapeDataString(PeerPassword)}@", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => Auth == InteropAuth.None ? Transport : $"{Transport}, {Auth}";
}
