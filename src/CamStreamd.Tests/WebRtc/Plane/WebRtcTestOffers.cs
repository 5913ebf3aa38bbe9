using System.Text;
using CamStreamd.Media;

namespace CamStreamd.Tests.WebRtc.Plane;

/// <summary>Offers and a stream hub for the plane's tests: Chromium 156's recvonly video offer (recorded), and edits of it.</summary>
internal static class WebRtcTestOffers
{
    /// <summary>Debian Chromium 156's offer for one recvonly video transceiver (H.264 42001f, 42e01f, 4d001f, f4001f; VP8, VP9, AV1…).</summary>
    public static string Chromium { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "WebRtc", "Plane", "chromium-offer.sdp"));

    /// <summary>The offer's ice-ufrag.</summary>
    public const string ChromiumUfrag = "lF/8";

    /// <summary>A hub that has seen one Main-profile keyframe (SPS 67 4D 40 1F), so it knows its profile.</summary>
    public static StreamHub MainProfileHub(string name = "cam0")
    {
        var hub = new StreamHub(name, 320, 240, 30, 100_000, 16, preparer: null);
        var pool = new AccessUnitPool(1024, 4);
        var unit = pool.Rent();
        unit.Set([0, 0, 0, 1, 0x67, 0x4D, 0x40, 0x1F, 0, 0, 0, 1, 0x68, 0xEE, 0, 0, 0, 1, 0x65, 0x88, 0x84], 0, true, 0);
        hub.Publish(unit);
        return hub;
    }

    /// <summary>Chromium's offer with only H.264 <paramref name="profileLevelId"/> left (every other H.264 fmtp line's profile replaced).</summary>
    public static string OnlyProfile(string profileLevelId)
    {
        var sb = new StringBuilder();
        foreach (var line in Chromium.Split("\r\n"))
        {
            var edited = line;
            var at = line.IndexOf("profile-level-id=", StringComparison.Ordinal);
            if (at >= 0)
            {
                edited = line[..(at + 17)] + profileLevelId;
            }

            sb.Append(edited).Append("\r\n");
        }

        return sb.ToString().TrimEnd('\r', '\n') + "\r\n";
    }
}
