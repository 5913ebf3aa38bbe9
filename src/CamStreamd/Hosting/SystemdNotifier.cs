using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace CamStreamd.Hosting;

/// <summary>
/// <c>sd_notify</c> without libsystemd: one datagram of <c>KEY=VALUE</c> lines per call to the
/// AF_UNIX SOCK_DGRAM socket named by <c>$NOTIFY_SOCKET</c> (sd_notify(3)). A name starting with
/// <c>@</c> is in the abstract namespace (the <c>@</c> becomes a leading NUL byte). Without the
/// variable every call is a no-op, so the daemon runs the same outside systemd. Read from the
/// process environment (<see cref="FromEnvironment"/>), the datagrams go through
/// Microsoft.Extensions.Hosting.Systemd's notifier; a socket named explicitly (tests, a
/// substituted environment) gets one of our own. A failed send is reported, never thrown.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    /// <summary>The environment variable systemd sets for Type=notify services.</summary>
    public const string NotifySocketVariable = "NOTIFY_SOCKET";

    /// <summary>Watchdog timeout in microseconds (set with WatchdogSec=).</summary>
    public const string WatchdogUsecVariable = "WATCHDOG_USEC";

    /// <summary>The PID the watchdog is meant for; another process ignores the watchdog.</summary>
    public const string WatchdogPidVariable = "WATCHDOG_PID";

    /// <summary>Longest message sent; systemd reads up to its pipe buffer, far more than this.</summary>
    public const int MaxMessageBytes = 4096;

    private readonly Lock _gate = new();
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly ISystemdNotifier? _sender;

    /// <summary>A notifier sending to <paramref name="socketName"/> (a path, or <c>@name</c> for an abstract socket); null or empty is a no-op notifier.</summary>
    public SystemdNotifier(string? socketName, TimeSpan? watchdogInterval = null)
    {
        SocketName = string.IsNullOrEmpty(socketName) ? null : socketName;
        WatchdogInterval = watchdogInterval;
        if (SocketName is not null)
        {
            _endPoint = ToEndPoint(SocketName);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
    }

    /// <summary>A notifier whose datagrams <paramref name="sender"/> sends (the package's notifier for <c>$NOTIFY_SOCKET</c> = <paramref name="socketName"/>).</summary>
    public SystemdNotifier(string socketName, TimeSpan? watchdogInterval, ISystemdNotifier sender)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketName);
        ArgumentNullException.ThrowIfNull(sender);
        SocketName = socketName;
        WatchdogInterval = watchdogInterval;
        _sender = sender;
    }

    /// <summary>Why the last send failed (null after a send that worked).</summary>
    public string? LastError { get; private set; }

    /// <summary>The socket name from <c>$NOTIFY_SOCKET</c>; null when not run by systemd as Type=notify.</summary>
    public string? SocketName { get; }

    /// <summary>True when messages are sent anywhere.</summary>
    public bool IsEnabled => _socket is not null || _sender is not null;

    /// <summary>The watchdog timeout systemd enforces (WatchdogSec=) for this process; null without a watchdog.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Reads <c>$NOTIFY_SOCKET</c>, <c>$WATCHDOG_USEC</c> and <c>$WATCHDOG_PID</c> through <paramref name="getVariable"/> (default: the process environment).</summary>
    public static SystemdNotifier FromEnvironment(Func<string, string?>? getVariable = null, int? processId = null)
    {
        var fromProcess = getVariable is null;
        getVariable ??= Environment.GetEnvironmentVariable;
        var socketName = getVariable(NotifySocketVariable);
        var watchdog = ParseWatchdog(getVariable(WatchdogUsecVariable), getVariable(WatchdogPidVariable), processId ?? Environment.ProcessId);
        return fromProcess && !string.IsNullOrEmpty(socketName)
            ? new SystemdNotifier(socketName, watchdog, new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier())
            : new SystemdNotifier(socketName, watchdog);
    }

    /// <summary>
    /// The watchdog timeout from <c>WATCHDOG_USEC</c>, or null when it is missing, not a positive
    /// number, or <c>WATCHDOG_PID</c> names another process (sd_watchdog_enabled(3)).
    /// </summary>
    public static TimeSpan? ParseWatchdog(string? usec, string? pid, int processId)
    {
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target != processId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }

    /// <summary>The endpoint of a <c>$NOTIFY_SOCKET</c> value: a path, or an abstract name for a leading <c>@</c>.</summary>
    public static UnixDomainSocketEndPoint ToEndPoint(string socketName)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketName);

        // Abstract namespace (unix(7)): sun_path starts with a NUL byte; systemd writes it as '@'.
        return new UnixDomainSocketEndPoint(socketName[0] == '@' ? "\0" + socketName[1..] : socketName);
    }

    /// <summary>
    /// Sends <paramref name="state"/> (newline-separated <c>KEY=VALUE</c> lines, e.g. <c>READY=1</c>);
    /// false when disabled or the send failed (systemd gone: notifications are best effort).
    /// </summary>
    public bool Notify(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!IsEnabled)
        {
            return false;
        }

        var length = System.Text.Encoding.UTF8.GetByteCount(state);
        if (length > MaxMessageBytes)
        {
            throw new ArgumentException($"notify message of {length} bytes exceeds {MaxMessageBytes}", nameof(state));
        }

        lock (_gate)
        {
            try
            {
                if (_sender is not null)
                {
                    // The package connects a fresh socket per message and throws when it cannot send.
                    _sender.Notify(new ServiceState(state));
                    LastError = null;
                    return true;
                }

                var sent = _socket!.SendTo(System.Text.Encoding.UTF8.GetBytes(state), SocketFlags.None, _endPoint!) == length;
                LastError = sent ? null : "short send";
                return sent;
            }
            catch (SocketException e)
            {
                LastError = $"{e.SocketErrorCode}: {e.Message}";
                return false;
            }
            catch (ObjectDisposedException)
            {
                LastError = "notifier disposed";
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
        }
    }
}
