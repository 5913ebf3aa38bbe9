using System.Net;
using CamStreamd.Interop.Libc;

namespace CamStreamd.WebRtc;

/// <summary>
/// A sender (<see cref="IDatagramSender"/>) whose peer is reached on an <see cref="ISharedDatagramPort"/>:
/// its datagrams may join a batch that spans sessions instead of a call of their own.
/// </summary>
internal interface ISharedPortPeer
{
    /// <summary>The shared port and the peer's address now; false when the session has none (not yet selected, or closed).</summary>
    bool TryGetRoute(out ISharedDatagramPort port, out SocketAddress peer);
}
