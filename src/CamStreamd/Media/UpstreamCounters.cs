namespace CamStreamd.Media;

/// <summary>
/// A pulled stream's upstream totals and state (<c>source.type</c> <c>rtsp</c>): written by the
/// RTSP pull source, read by the HTTP API and metrics. Lock-free like <see cref="StreamCounters"/>,
/// except the last error text, which changes only on a failure.
/// </summary>
public sealed class UpstreamCounters
{
    private int _state = (int)UpstreamState.Stopped;
    private long _connectAttempts;
    private long _sessions;
    private long _failures;
    private long _packetsReceived;
    private long _packetsLost;
    private long _bytesReceived;
    private long _accessUnits;
    private long _accessUnitsDropped;
    private long _keepalives;
    private long _receiverReports;
    private long _keyframeRequests;
    private string? _lastError;
    private string? _transport;

    /// <summary>The connection's state now.</summary>
    public UpstreamState State => (UpstreamState)Volatile.Read(ref _state);

    /// <summary>Connection attempts since start (the first and every reconnect).</summary>
    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    /// <summary>Sessions that reached PLAY.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>Reconnects: sessions beyond the first that reached PLAY.</summary>
    public long Reconnects => Math.Max(0, Sessions - 1);

    /// <summary>Attempts or sessions that failed (refused, timed out, lost, no media).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>RTP packets received.</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>RTP packets missing by sequence number (after reordering).</summary>
    public long PacketsLost => Interlocked.Read(ref _packetsLost);

    /// <summary>RTP bytes received (headers included).</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Complete access units reassembled and handed on.</summary>
    public long AccessUnits => Interlocked.Read(ref _accessUnits);

    /// <summary>Access units dropped: damaged by loss, waiting for an IDR, or queue full.</summary>
    public long AccessUnitsDropped => Interlocked.Read(ref _accessUnitsDropped);

    /// <summary>Keepalive requests sent (GET_PARAMETER or OPTIONS).</summary>
    public long Keepalives => Interlocked.Read(ref _keepalives);

    /// <summary>RTCP receiver reports sent upstream.</summary>
    public long ReceiverReports => Interlocked.Read(ref _receiverReports);

    /// <summary>Picture loss indications sent upstream (asking for an IDR while waiting for one).</summary>
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

    /// <summary>Why the last attempt or session ended, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>The transport in use (<c>tcp</c> or <c>udp</c>).</summary>
    public string? Transport => Volatile.Read(ref _transport);

    /// <summary>Sets the state.</summary>
    public void SetState(UpstreamState state) => Volatile.Write(ref _state, (int)state);

    /// <summary>Counts a connection attempt.</summary>
    public void AddConnectAttempt() => Interlocked.Increment(ref _connectAttempts);

    /// <summary>Counts a session that reached PLAY over <paramref name="transport"/>.</summary>
    public void AddSession(string transport)
    {
        Volatile.Write(ref _transport, transport);
        Interlocked.Increment(ref _sessions);
    }

    /// <summary>Counts a failure and keeps its reason.</summary>
    public void AddFailure(string reason)
    {
        Volatile.Write(ref _lastError, reason);
        Interlocked.Increment(ref _failures);
    }

    /// <summary>Counts one RTP packet of <paramref name="bytes"/>.</summary>
    public void AddPacket(int bytes)
    {
        Interlocked.Increment(ref _packetsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    /// <summary>Counts lost packets.</summary>
    public void AddLost(long packets) => Interlocked.Add(ref _packetsLost, packets);

    /// <summary>Counts an access unit handed on.</summary>
    public void AddAccessUnit() => Interlocked.Increment(ref _accessUnits);

    /// <summary>Counts dropped access units.</summary>
    public void AddAccessUnitsDropped(long units) => Interlocked.Add(ref _accessUnitsDropped, units);

    /// <summary>Counts a keepalive request.</summary>
    public void AddKeepalive() => Interlocked.Increment(ref _keepalives);

    /// <summary>Counts a receiver report sent.</summary>
    public void AddReceiverReport() => Interlocked.Increment(ref _receiverReports);

    /// <summary>Counts a picture loss indication sent.</summary>
    public void AddKeyframeRequest() => Interlocked.Increment(ref _keyframeRequests);
}
