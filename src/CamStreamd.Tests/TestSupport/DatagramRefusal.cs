using System.Net;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Tests.TestSupport;

/// <summary>
/// A kernel's refusal, staged for a fan-out test: the messages of a batch to one peer are refused
/// with a chosen errno (EINVAL as a kernel that will not segment, EAGAIN as a full send buffer,
/// which loopback never has), for a number of batches. The send goes up to the first of them.
/// </summary>
internal sealed unsafe class DatagramRefusal
{
    private byte[]? _peer;
    private int _errno;
    private int _left;
    private int _refusals;

    /// <summary>Batches a refusal cut short.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>Refuses the next <paramref name="times"/> batches' messages to <paramref name="peer"/> with <paramref name="errno"/>.</summary>
    public void Refuse(SocketAddress peer, int errno, int times = int.MaxValue) => Refuse(peer.Buffer.Span[..peer.Size], errno, times);

    /// <summary>Refuses the next <paramref name="times"/> batches' messages to the native sockaddr <paramref name="peer"/> with <paramref name="errno"/>.</summary>
    public void Refuse(ReadOnlySpan<byte> peer, int errno, int times = int.MaxValue)
    {
        _peer = peer.ToArray();
        _errno = errno;
        Volatile.Write(ref _left, times);
    }

    /// <summary>Stops refusing.</summary>
    public void Stop() => Volatile.Write(ref _left, 0);

    /// <summary>
    /// Sends <paramref name="messages"/>[0..<paramref name="count"/>) through <paramref name="send"/>,
    /// stopping at the first message to the refused peer; <paramref name="errno"/> is then the refusal's.
    /// </summary>
    public int Send(MMsgHdr* messages, int count, out int errno, SendMessages send)
    {
        var limit = count;
        if (_peer is { } peer && Volatile.Read(ref _left) > 0)
        {
            for (var i = 0; i < count; i++)
            {
                if (messages[i].NameLength == peer.Length && new ReadOnlySpan<byte>(messages[i].Name, peer.Length).SequenceEqual(peer))
                {
                    limit = i;
                    Interlocked.Decrement(ref _left);
                    Interlocked.Increment(ref _refusals);
                    break;
                }
            }
        }

        errno = 0;
        var sent = limit == 0 ? 0 : send(messages, limit, out errno);
        if (limit < count && sent == limit)
        {
            errno = _errno;
        }

        return sent;
    }

    /// <summary>The real send under the refusal.</summary>
    public delegate int SendMessages(MMsgHdr* messages, int count, out int errno);
}
