using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Media;

/// <summary>
/// A bounded table of connections on one port (or of sessions on one endpoint) that no client can
/// lock: at the limit a newcomer first evicts the connection that holds least (one that never sent a
/// complete request, then one idle the longest, see <see cref="EvictionRank"/>), and is refused only
/// when every connection in the table plays or is being served. One address (IPv6: one /64) holds at
/// most <see cref="PerAddressLimit"/>; a newcomer from an address at its share can only evict that
/// address's own connections. Under pressure (¾ full) <see cref="CloseSilentUnderPressure"/> closes
/// connections that sent nothing for a short time. Every eviction and refusal is counted, and logged
/// at most once per <see cref="LogInterval"/> with a count.
/// </summary>
/// <remarks>
/// Protocol-agnostic by design: RTSP connections, HTTP connections and MJPEG viewers use it today,
/// and the WHEP endpoint and the WebRTC UDP port are to hold their sessions in one too. Admission
/// scans the table only when a limit is reached (O(n), n ≤ the limit), once per newcomer.
/// </remarks>
public sealed class ConnectionBudget
{
    /// <summary>Eviction and refusal lines are logged at most this often, each with the count since the last.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly Dictionary<IBudgetedConnection, IPAddress> _entries = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly ILogger _logger;
    private long _admitted;
    private long _evicted;
    private long _pressureClosed;
    private long _refusedFull;
    private long _refusedPerAddress;
    private long _evictionLogPending;
    private long _evictionLogLast;
    private long _refusalLogPending;
    private long _refusalLogLast;

    /// <summary>Creates a budget of <paramref name="limit"/> connections, at most <paramref name="perAddressLimit"/> per address.</summary>
    /// <param name="name">Names the budget in logs, the API and metrics (<c>rtsp</c>, <c>http</c>, <c>mjpeg</c>).</param>
    /// <param name="limit">Most connections held at once.</param>
    /// <param name="perAddressLimit">Most from one address (IPv6: one /64); 0 means a quarter of <paramref name="limit"/> (at least 1).</param>
    /// <param name="logger">Where evictions and refusals are logged.</param>
    public ConnectionBudget(string name, int limit, int perAddressLimit, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(perAddressLimit);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        Limit = limit;
        PerAddressLimit = perAddressLimit == 0 ? DefaultPerAddressLimit(limit) : Math.Min(perAddressLimit, limit);
        _logger = logger;
    }

    /// <summary>The budget's name (<c>rtsp</c>, <c>http</c>, <c>mjpeg</c>).</summary>
    public string Name { get; }

    /// <summary>Most connections held at once.</summary>
    public int Limit { get; }

    /// <summary>Most connections from one address (IPv6: one /64).</summary>
    public int PerAddressLimit { get; }

    /// <summary>Connections held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>True when the table is at least three quarters full (silent newcomers then get a short first-request timeout).</summary>
    public bool UnderPressure => Count * 4L >= Limit * 3L;

    /// <summary>Newcomers admitted since start.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Connections evicted to make room for a newcomer.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Silent connections closed early because the table was under pressure.</summary>
    public long PressureClosed => Interlocked.Read(ref _pressureClosed);

    /// <summary>Newcomers refused because the table was full of connections that play or are being served.</summary>
    public long RefusedFull => Interlocked.Read(ref _refusedFull);

    /// <summary>Newcomers refused because their address had its whole share, none of it evictable.</summary>
    public long RefusedPerAddress => Interlocked.Read(ref _refusedPerAddress);

    /// <summary>The default per-address share: a quarter of the limit, at least 1.</summary>
    public static int DefaultPerAddressLimit(int limit) => Math.Max(1, limit / 4);

    /// <summary>
    /// Admits <paramref name="connection"/>, evicting one connection that holds nothing when a limit
    /// is reached, or refuses it (nothing is then held; the caller answers or closes it).
    /// </summary>
    public BudgetAdmission TryAdmit(IBudgetedConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var key = AddressKey(connection.RemoteAddress);
        IBudgetedConnection? victim = null;
        BudgetAdmission outcome;
        lock (_gate)
        {
            _perAddress.TryGetValue(key, out var fromAddress);
            if (fromAddress >= PerAddressLimit)
            {
                victim = FindVictim(key);
                outcome = victim is null ? BudgetAdmission.RefusedPerAddress : BudgetAdmission.Admitted;
            }
            else if (_entries.Count >= Limit)
            {
                victim = FindVictim(null);
                outcome = victim is null ? BudgetAdmission.RefusedFull : BudgetAdmission.Admitted;
            }
            else
            {
                outcome = BudgetAdmission.Admitted;
            }

            if (victim is not null)
            {
                RemoveLocked(victim);
                _evicted++;
                _evictionLogPending++;
            }

            if (outcome == BudgetAdmission.Admitted)
            {
                _entries.Add(connection, key);
                _perAddress[key] = _perAddress.GetValueOrDefault(key) + 1;
                _admitted++;
            }
            else
            {
                if (outcome == BudgetAdmission.RefusedFull)
                {
                    _refusedFull++;
                }
                else
                {
                    _refusedPerAddress++;
                }

                _refusalLogPending++;
            }
        }

        // Outside the lock: evicting closes a socket, and the victim's own cleanup calls Release.
        victim?.Evict();
        LogIfDue(connection.RemoteAddress, outcome);
        return outcome;
    }

    /// <summary>Releases a held connection; false when it is not held (refused, evicted, or released before).</summary>
    public bool Release(IBudgetedConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        lock (_gate)
        {
            return RemoveLocked(connection);
        }
    }

    /// <summary>
    /// Under pressure only: evicts every connection that has sent no complete request for
    /// <paramref name="silentFor"/> (instead of its full first-request timeout). Returns how many.
    /// Call it about once a second.
    /// </summary>
    public int CloseSilentUnderPressure(long now, TimeSpan silentFor)
    {
        List<IBudgetedConnection>? closing = null;
        lock (_gate)
        {
            if (_entries.Count * 4L < Limit * 3L)
            {
                return 0;
            }

            foreach (var connection in _entries.Keys)
            {
                var rank = connection.Rank;
                if (rank.Evictable && rank.Tier == EvictionRank.NoRequestYet && Stopwatch.GetElapsedTime(rank.Since, now) > silentFor)
                {
                    (closing ??= []).Add(connection);
                }
            }

            if (closing is null)
            {
                return 0;
            }

            foreach (var connection in closing)
            {
                RemoveLocked(connection);
            }

            _pressureClosed += closing.Count;
            _evictionLogPending += closing.Count;
        }

        foreach (var connection in closing)
        {
            connection.Evict();
        }

        LogIfDue(closing[^1].RemoteAddress, BudgetAdmission.Admitted);
        return closing.Count;
    }

    /// <summary>The key an address is budgeted under: IPv4 as itself (also when IPv4-mapped), IPv6 by its /64.</summary>
    internal static IPAddress AddressKey(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        // One host usually owns a whole /64 (SLAAC, privacy addresses): budget the prefix, not the address.
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }

    /// <summary>The evictable connection ranked first, from <paramref name="key"/>'s address only when given.</summary>
    private IBudgetedConnection? FindVictim(IPAddress? key)
    {
        IBudgetedConnection? victim = null;
        var victimRank = EvictionRank.Never;
        foreach (var (connection, address) in _entries)
        {
            if (key is not null && !key.Equals(address))
            {
                continue;
            }

            var rank = connection.Rank;
            if (rank.IsBefore(victimRank))
            {
                victim = connection;
                victimRank = rank;
            }
        }

        return victim;
    }

    private bool RemoveLocked(IBudgetedConnection connection)
    {
        if (!_entries.Remove(connection, out var key))
        {
            return false;
        }

        var left = _perAddress[key] - 1;
        if (left == 0)
        {
            _perAddress.Remove(key);
        }
        else
        {
            _perAddress[key] = left;
        }

        return true;
    }

    private void LogIfDue(IPAddress remote, BudgetAdmission outcome)
    {
        long evicted = 0, refused = 0;
        int open;
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            if (_evictionLogPending > 0 && (_evictionLogLast == 0 || Stopwatch.GetElapsedTime(_evictionLogLast, now) >= LogInterval))
            {
                evicted = _evictionLogPending;
                _evictionLogPending = 0;
                _evictionLogLast = now;
            }

            if (_refusalLogPending > 0 && (_refusalLogLast == 0 || Stopwatch.GetElapsedTime(_refusalLogLast, now) >= LogInterval))
            {
                refused = _refusalLogPending;
                _refusalLogPending = 0;
                _refusalLogLast = now;
            }

            open = _entries.Count;
        }

        if (evicted > 0)
        {
            ConnectionBudgetLog.Evicted(_logger, Name, evicted, remote, open, Limit);
        }

        if (refused > 0)
        {
            var reason = outcome == BudgetAdmission.RefusedPerAddress ? "its address holds its whole share" : "every connection plays or is being served";
            ConnectionBudgetLog.Refused(_logger, Name, refused, remote, reason, open, Limit, PerAddressLimit);
        }
    }
}
