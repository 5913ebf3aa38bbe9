using System.Net;
using CamStreamd.Configuration;
using CamStreamd.Rtsp;

namespace CamStreamd.Hosting;

/// <summary>Turns the validated <c>rtsp.auth</c> and <c>rtsp.multicast</c> sections into the RTSP server's settings.</summary>
public static class RtspSettingsMapper
{
    /// <summary>The authentication settings of <paramref name="auth"/>.</summary>
    public static RtspAuthSettings ToAuthSettings(RtspAuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(auth);
        return new RtspAuthSettings
        {
            Mode = auth.Mode switch
            {
                AuthModes.Basic => RtspAuthMode.Basic,
                AuthModes.Digest => RtspAuthMode.Digest,
                _ => RtspAuthMode.None,
            },
            Realm = auth.Realm,
            Users = [.. auth.Users.Select(u => new RtspUser(u.Name, u.Password))],
        };
    }

    /// <summary>The multicast settings of <paramref name="multicast"/>, or null when it is disabled.</summary>
    public static RtspMulticastSettings? ToMulticastSettings(MulticastOptions multicast)
    {
        ArgumentNullException.ThrowIfNull(multicast);
        return multicast.Enabled
            ? new RtspMulticastSettings { AddressRange = IPNetwork.Parse(multicast.AddressRange), Ttl = multicast.Ttl }
            : null;
    }
}
