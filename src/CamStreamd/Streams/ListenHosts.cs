using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace CamStreamd.Streams;

/// <summary>The host names to print in a stream's URLs for a listening socket (the startup banner, the HTTP listener's log line).</summary>
public static class ListenHosts
{
    /// <summary>The addresses a viewer can use: the bound one, or loopback and each interface's IPv4 address for a wildcard bind.</summary>
    public static IEnumerable<string> For(IPAddress bound)
    {
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            yield return bound.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{bound}]" : bound.ToString();
            yield break;
        }

        yield return "127.0.0.1";
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    yield return unicast.Address.ToString();
                }
            }
        }
    }
}
