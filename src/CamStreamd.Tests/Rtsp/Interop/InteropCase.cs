using System.Globalization;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// One row of the interop matrix: the peer's transport name as the peer spells it (ffmpeg
/// <c>-rtsp_transport tcp|udp|udp_multicast</c>, rtspsrc <c>protocols=tcp|udp|udp-mcast</c>) and the
/// authentication. It knows the daemon config the row needs, the URL the peer uses, whether the
/// row runs in a network namespace (multicast: never on the host's interfaces, TESTING.md), and
/// whether the peer must play or be refused.
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

    /// <summary>That account's password.</summary>
    public const string Password = "s3cret-Pass";

    /// <summary>True for the multicast transports: daemon and peer run inside a fresh network namespace.</summary>
    public bool Multicast => Transport is "udp_multicast" or "udp-mcast";

    /// <summary>True when the peer offers a wrong password and must be refused (401), not play.</summary>
    public bool ExpectRefused => Auth is InteropAuth.BasicWrongPassword or InteropAuth.DigestWrongPassword;

    /// <summary>The daemon config of this row (one test-pattern stream cam0 on a free port).</summary>
    public string ConfigJson()
    {
        var mode = Auth switch
        {
            InteropAuth.None => "none",
            InteropAuth.Basic or InteropAuth.BasicWrongPassword => "basic",
            _ => "digest",
        };
        var auth = Auth == InteropAuth.None
            ? string.Empty
            : $$""", "auth": { "mode": "{{mode}}", "users": [ { "name": "{{User}}", "password": "{{Password}}" } ] }""";
        var multicast = Multicast ? """, "multicast": { "enabled": true, "addressRange": "239.255.42.0/24", "ttl": 1 }""" : string.Empty;
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

    /// <summary>The URL the peer opens, with the row's credentials in it.</summary>
    public string Url(DaemonProcess daemon)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        var url = daemon.Url("cam0");
        if (Auth == InteropAuth.None)
        {
            return url;
        }

        var password = ExpectRefused ? "wrong-" + Password : Password;
        return url.Replace("rtsp://", $"rtsp://{User}:{Uri.EscapeDataString(password)}@", StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => Auth == InteropAuth.None ? Transport : $"{Transport}, {Auth}";
}
