using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// The host candidates put in every answer: each up interface's unicast addresses (IPv4 first,
/// then global IPv6; link-local IPv6 needs a scope a browser cannot use; loopback last, for a
/// browser on this machine) and then <c>webrtc.additionalHosts</c> (a NAT's public address, the
/// Docker host's), which no interface here knows.
/// </summary>
internal static class CandidateAddresses
{
    /// <summary>The addresses, in preference order, without duplicates.</summary>
    public static IReadOnlyList<IPAddress> Gather(IReadOnlyList<string> additionalHosts, bool ipv6)
    {
        var found = new List<IPAddress>();
        var loopback = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
                {
                    continue;
                }

                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily == AddressFamily.InterNetworkV6 && (!ipv6 || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal))
                    {
                        continue;
                    }

                    (IPAddress.IsLoopback(address) ? loopback : found).Add(address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list (a sandbox without netlink): loopback and the configured hosts still work.
        }

        if (loopback.Count == 0)
        {
            loopback.Add(IPAddress.Loopback);
        }

        var ordered = found.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0).Concat(loopback.OrderBy(a => a.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0));
        var result = new List<IPAddress>();
        foreach (var address in ordered.Concat(additionalHosts.Select(IPAddress.Parse)))
        {
            if (!result.Contains(address))
            {
                result.Add(address);
            }
        }

        return result;
    }
}
