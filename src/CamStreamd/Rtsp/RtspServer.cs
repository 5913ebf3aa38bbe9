using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// The RTSP 1.0 server (RFC 2326): accepts TCP connections, one <c>RtspConnection</c> each, and
/// keeps the table of sessions (which may outlive their connection over UDP until the timeout).
/// Streams are the <see cref="StreamHubRegistry"/>'s hubs, named by the URL's first path segment.
/// </summary>
public sealed class RtspServer : IAsyncDisposable
{
    /// <summary>Connections over the limit that are still read (to answer 503); beyond that they are closed unanswered.</summary>
    public const int RefusalBacklog = 64;

    /// <summary>How long stopping waits for sessions to send their RTCP BYE before connections are closed.</summary>
    private static readonly TimeSpan ByeTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan ReapInterval = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<RtspConnection, Task> _connections = new();
    private readonly ConcurrentDictionary<string, RtspSession> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<StreamHub, (long Count, long Since)> _oversizeSeen = [];
    private readonly LogThrottle _droppedLog = new(TimeSpan.FromSeconds(10));
    private Socket? _listener;
    private int _refusing;
    private long _droppedUnanswered;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _reapLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private int _stopped;

    /// <summary>Creates a server; nothing is bound until <see cref="Start"/>.</summary>
    public RtspServer(RtspServerOptions options, StreamHubRegistry registry, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxConnections);
        Options = options;
        Registry = registry;
        _logger = loggerFactory.CreateLogger("CamStreamd.Rtsp");
        Budget = new ConnectionBudget("rtsp", options.MaxConnections, options.MaxConnectionsPerAddress, _logger);
        SdpSessionId = BitConverter.ToUInt64(KernelRandom.GetBytes(8)) & 0x7FFF_FFFF_FFFF_FFFF;
        Authenticator = new RtspAuthenticator(options.Auth, TimeProvider.System, _logger);
        Multicast = options.Multicast is { } multicast ? new MulticastGroups(multicast, _logger, options.RtcpInterval, options.ServerName) : null;
        Fanouts = new RtspFanouts(_logger, _stopping.Token);
        UdpPorts = new UdpServerPortPairs(_logger);
    }

    /// <summary>The settings.</summary>
    public RtspServerOptions Options { get; }

    /// <summary>Each stream's one send path to its unicast viewers.</summary>
    internal RtspFanouts Fanouts { get; }

    /// <summary>The RTP/RTCP port pairs UDP unicast sessions share, one per local address.</summary>
    internal UdpServerPortPairs UdpPorts { get; }

    /// <summary>The streams served.</summary>
    public StreamHubRegistry Registry { get; }

    /// <summary>The bound address and port (the real port when <see cref="RtspServerOptions.Port"/> is 0).</summary>
    public IPEndPoint LocalEndPoint =>
        (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Open RTSP connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>
    /// The connections held (refused ones answered 503 are not): at the limit a newcomer evicts one that
    /// holds no session and is not being served, and one address holds at most a quarter by default.
    /// </summary>
    public ConnectionBudget Budget { get; }

    /// <summary>Refused connections closed without a 503 because <see cref="RefusalBacklog"/> were already being answered.</summary>
    public long DroppedUnanswered => Interlocked.Read(ref _droppedUnanswered);

    /// <summary>Live sessions (set up and not yet torn down).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>A snapshot of every live session (id, stream, transport, peer, state, counters).</summary>
    public IReadOnlyList<RtspSessionInfo> Sessions => [.. _sessions.Values.Select(s => s.Snapshot())];

    /// <summary>Throttles the "refused with 503" log line (one per 10 s, with a count).</summary>
    internal LogThrottle RefusalLog { get; } = new(TimeSpan.FromSeconds(10));

    /// <summary>The SDP origin session id of this server run (RFC 4566 §5.2).</summary>
    internal ulong SdpSessionId { get; }

    /// <summary>Checks every request's credentials (<see cref="RtspServerOptions.Auth"/>).</summary>
    internal RtspAuthenticator Authenticator { get; }

    /// <summary>The per-stream multicast groups and senders, or null when multicast is off.</summary>
    internal MulticastGroups? Multicast { get; }

    /// <summary>Binds and listens; a <see cref="SocketException"/> (port taken, address missing) propagates.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        var listener = new Socket(Options.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (Options.ListenAddress.AddressFamily == AddressFamily.InterNetworkV6)
            {
                listener.DualMode = Options.ListenAddress.Equals(IPAddress.IPv6Any);
            }

            listener.Bind(new IPEndPoint(Options.ListenAddress, Options.Port));
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        var local = LocalEndPoint;
        var host = local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{local.Address}]" : local.Address.ToString();
        _logger.Listening($"rtsp://{host}:{local.Port}/");
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
        _reapLoop = ReapLoopAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, closes every connection and ends every session (bounded by 5 s and <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        var limit = TimeSpan.FromSeconds(5);
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();

        // Sessions first, so each can still send its RTCP BYE (RFC 3550 §6.6) before its connection closes.
        var sessions = Task.WhenAll(_sessions.Values.Select(s => EndSessionAsync(s, "server stopping")));
        await sessions.WaitAsync(ByeTimeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }

        var all = Task.WhenAll([_acceptLoop, _reapLoop, sessions, .. _connections.Values]);
        try
        {
            await all.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _logger.StopTimedOut(limit.TotalSeconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.StopTimedOut(limit.TotalSeconds);
        }

        // After the sessions: their last reports (BYE) leave from these ports.
        await UdpPorts.DisposeAsync().ConfigureAwait(false);
        _logger.Stopped();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal bool TryGetSession(string id, [MaybeNullWhen(false)] out RtspSession session) => _sessions.TryGetValue(id, out session);

    /// <summary>Registers a new session; false when it is already registered.</summary>
    internal bool AddSession(RtspSession session) => _sessions.TryAdd(session.Id, session);

    /// <summary>Removes and ends a session; <paramref name="sayBye"/> sends RTCP BYE first (not when its connection is gone).</summary>
    internal Task EndSessionAsync(RtspSession session, string reason, bool sayBye = true)
    {
        _sessions.TryRemove(new KeyValuePair<string, RtspSession>(session.Id, session));
        session.InterleavedConnection?.RemoveSession(session);
        return session.EndAsync(reason, sayBye);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Transient (e.g. EMFILE, ECONNABORTED): log and keep accepting after a pause.
                _logger.AcceptFailed(ex);
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            socket.NoDelay = true;
            if (Options.SocketSendBufferSize is { } sendBuffer)
            {
                socket.SendBufferSize = sendBuffer;
            }

            RtspConnection connection;
            try
            {
                connection = new RtspConnection(this, socket, Interlocked.Increment(ref _nextConnectionId), _logger);
            }
            catch (SocketException)
            {
                // Reset before we could read its addresses.
                socket.Dispose();
                continue;
            }

            if (Budget.TryAdmit(connection) != BudgetAdmission.Admitted)
            {
                if (Interlocked.Increment(ref _refusing) > RefusalBacklog)
                {
                    // Under a flood even 503s cost too much: close at once (bounded work per connection attempt).
                    Interlocked.Decrement(ref _refusing);
                    Interlocked.Increment(ref _droppedUnanswered);
                    if (_droppedLog.Count(1, out var dropped))
                    {
                        _logger.ConnectionDropped(connection.RemoteEndPoint, Options.MaxConnections, dropped);
                    }

                    connection.Dispose();
                    continue;
                }

                connection.MarkRefused();
            }

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _connections[connection] = RunConnectionAsync(connection, gate.Task, cancellationToken);
            gate.SetResult();
        }
    }

    private async Task RunConnectionAsync(RtspConnection connection, Task registered, CancellationToken cancellationToken)
    {
        // Wait until the connection is in the table, so its removal below always finds it.
        await registered.ConfigureAwait(false);
        try
        {
            await connection.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            if (connection.Refused)
            {
                Interlocked.Decrement(ref _refusing);
            }
            else
            {
                Budget.Release(connection);
            }
        }
    }

    /// <summary>Frames over maxFrameLength are dropped by the hub; say so at most once per interval per stream, with the count.</summary>
    private void LogOversizeDrops(long now)
    {
        var hubs = Registry.Hubs;
        if (_oversizeSeen.Count > hubs.Count)
        {
            // Streams were removed: forget them (and let their hubs be collected).
            foreach (var gone in _oversizeSeen.Keys.Where(h => !hubs.Contains(h)).ToList())
            {
                _oversizeSeen.Remove(gone);
            }
        }

        foreach (var hub in hubs)
        {
            var total = hub.FramesOversize;
            if (!_oversizeSeen.TryGetValue(hub, out var seen))
            {
                // First sight of this stream: what it dropped before the server ran is logged with the next drop.
                seen = (0, now);
                _oversizeSeen[hub] = seen;
            }

            var elapsed = Stopwatch.GetElapsedTime(seen.Since, now);
            if (total > seen.Count && (seen.Count == 0 || elapsed >= Options.OversizeLogInterval))
            {
                _logger.OversizeFramesDropped(hub.Name, total - seen.Count, hub.MaxFrameLength, elapsed.TotalSeconds);
                _oversizeSeen[hub] = (total, now);
            }
        }
    }

    private async Task ReapLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ReapInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                LogOversizeDrops(now);
                Budget.CloseSilentUnderPressure(now, Options.PressureFirstRequestTimeout);
                foreach (var connection in _connections.Keys)
                {
                    connection.CloseIfIdle(now);
                }

                foreach (var session in _sessions.Values)
                {
                    // TCP sessions live exactly as long as their connection; UDP ones need keepalives.
                    if (session.IsUdp && Stopwatch.GetElapsedTime(session.LastActivity, now) > Options.SessionTimeout)
                    {
                        await EndSessionAsync(session, "timeout").ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
