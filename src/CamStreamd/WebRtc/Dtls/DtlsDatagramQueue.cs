using System.Buffers;
using Org.BouncyCastle.Tls;

namespace CamStreamd.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of the shared UDP port for one peer: datagrams the plane delivers wait in
/// a bounded queue (the UDP receive loop never blocks: a full queue drops, counted) until the
/// handshake thread asks for them; sends go straight to the plane's <see cref="IDatagramSender"/>.
/// </summary>
internal sealed class DtlsDatagramQueue : DatagramTransport
{
    private readonly (byte[] Buffer, int Length)[] _ring;
    private readonly IDatagramSender _sender;
    private readonly int _receiveLimit;
    private readonly int _sendLimit;
    private readonly object _gate = new();
    private CancellationToken _cancellation;
    private int _head;
    private int _count;
    private bool _closed;
    private long _received;
    private long _dropped;
    private long _sendFailures;

    public DtlsDatagramQueue(IDatagramSender sender, int capacity, int receiveLimit, int sendLimit)
    {
        _sender = sender;
        _ring = new (byte[], int)[capacity];
        _receiveLimit = receiveLimit;
        _sendLimit = sendLimit;
    }

    /// <summary>Raised once when BouncyCastle closes the transport (after close_notify or a fatal alert).</summary>
    public event Action? TransportClosed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public long Received => Interlocked.Read(ref _received);

    public long Dropped => Interlocked.Read(ref _dropped);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>The token that makes a waiting <see cref="Receive(byte[], int, int, int)"/> give up (the handshake's).</summary>
    public void SetCancellation(CancellationToken cancellation)
    {
        _cancellation = cancellation;
        cancellation.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
    }

    /// <summary>Copies a datagram in; false (counted) when it is too large or the queue is full.</summary>
    public bool Enqueue(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 0 || datagram.Length > _receiveLimit)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        lock (_gate)
        {
            if (_closed || _count == _ring.Length)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
            datagram.CopyTo(buffer);
            _ring[(_head + _count) % _ring.Length] = (buffer, datagram.Length);
            _count++;
            Monitor.Pulse(_gate);
        }

        Interlocked.Increment(ref _received);
        return true;
    }

    public int GetReceiveLimit() => _receiveLimit;

    public int GetSendLimit() => _sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>Next datagram, waiting at most <paramref name="waitMillis"/> (0: until cancelled); -1 on timeout.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        var deadline = waitMillis == 0 ? long.MaxValue : Environment.TickCount64 + waitMillis;
        lock (_gate)
        {
            while (_count == 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                if (_closed)
                {
                    return -1;
                }

                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return -1;
                }

                Monitor.Wait(_gate, (int)Math.Min(left, 1000));
            }

            var (datagram, length) = _ring[_head];
            _ring[_head] = default;
            _head = (_head + 1) % _ring.Length;
            _count--;
            var copied = Math.Min(length, buffer.Length);
            datagram.AsSpan(0, copied).CopyTo(buffer);
            ArrayPool<byte>.Shared.Return(datagram);
            return copied;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        // A lost handshake datagram is resent by the retransmission timer (RFC 6347 §4.2.4), so
        // a failed send is counted, not thrown.
        if (!_sender.TrySend(buffer))
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }

    public void Close()
    {
        bool first;
        lock (_gate)
        {
            first = !_closed;
            _closed = true;
            while (_count > 0)
            {
                ArrayPool<byte>.Shared.Return(_ring[_head].Buffer);
                _ring[_head] = default;
                _head = (_head + 1) % _ring.Length;
                _count--;
            }

            Monitor.PulseAll(_gate);
        }

        if (first)
        {
            TransportClosed?.Invoke();
        }
    }
}
