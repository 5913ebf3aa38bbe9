using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary>
/// Tells systemd how the daemon is (Type=notify): <c>READY=1</c> once the listeners are bound and
/// every stream has left "starting" (or after <see cref="ReadyWaitLimit"/>, saying which still
/// start), <c>STATUS=</c> every <see cref="StatusInterval"/>, <c>WATCHDOG=1</c> every half
/// WatchdogSec but only while every pipeline is healthy, <c>STOPPING=1</c> as the stop begins.
/// Registered after the RTSP server and the streams, so it starts last and stops first.
/// </summary>
public sealed partial class SystemdService : IHostedService, IAsyncDisposable
{
    /// <summary>How often STATUS= is refreshed (and the watchdog fed) when WatchdogSec/2 is longer.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for every stream to leave "starting" before READY=1 is sent anyway.</summary>
    public static readonly TimeSpan ReadyWaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>How often the streams are looked at while waiting for READY.</summary>
    public static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly SystemdNotifier _notifier;
    private readonly IDaemonStatus _status;
    private readonly TimeProvider _time;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<SystemdService> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private CancellationTokenRegistration _stoppingRegistration;
    private ITimer? _timer;
    private Task _ready = Task.CompletedTask;
    private bool _stopSent;
    private bool _unhealthyLogged;
    private bool _notifyFailing;
    private int _disposed;

    /// <summary>Creates the service; nothing is sent until <see cref="StartAsync"/>.</summary>
    public SystemdService(SystemdNotifier notifier, IDaemonStatus status, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<SystemdService> logger)
    {
        _notifier = notifier;
        _status = status;
        _time = time;
        _lifetime = lifetime;
        _logger = logger;
    }

    /// <summary>The period of the status/watchdog tick: <see cref="StatusInterval"/>, or half the watchdog timeout when shorter.</summary>
    public TimeSpan TickInterval => _notifier.WatchdogInterval is { } watchdog && watchdog / 2 < StatusInterval ? watchdog / 2 : StatusInterval;

    /// <summary>Completes once READY=1 was sent (or the stop began first).</summary>
    public Task Ready => _ready;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_notifier.IsEnabled)
        {
            return Task.CompletedTask;
        }

        LogNotifySocket(_notifier.SocketName!, _notifier.WatchdogInterval?.TotalSeconds ?? 0);
        _stoppingRegistration = _lifetime.ApplicationStopping.Register(SendStopping);

        // Fed from the start: a stream still within its start grace counts as healthy.
        _timer = _time.CreateTimer(_ => Tick(), null, TickInterval, TickInterval);
        _ready = Task.Run(() => SignalReadyAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        SendStopping();
        try
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The stop timeout passed; the ready task ends on its own token.
        }
    }

    /// <summary>Sends <c>RELOADING=1</c> with <c>MONOTONIC_USEC</c> (systemd 253+ requires it to tell reload rounds apart).</summary>
    public void NotifyReloading(long monotonicMicroseconds) =>
        Send(FormattableString.Invariant($"RELOADING=1\nMONOTONIC_USEC={monotonicMicroseconds}\nSTATUS=reloading the configuration"));

    /// <summary>Sends <c>READY=1</c> after a reload, with <paramref name="outcome"/> and the current status.</summary>
    public void NotifyReloaded(string outcome) => Send($"READY=1\nSTATUS={outcome}; {_status.Check().Status}");

    /// <inheritdoc />
    /// <remarks>Idempotent: the container disposes the instance once per registration (singleton and hosted service).</remarks>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _stoppingRegistration.Dispose();
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
        }

        _stopping.Cancel();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task SignalReadyAsync(CancellationToken cancellationToken)
    {
        var waitStart = _time.GetTimestamp();
        var report = _status.Check();
        try
        {
            while (!report.Settled && _time.GetElapsedTime(waitStart) < ReadyWaitLimit)
            {
                await Task.Delay(ReadyPollInterval, _time, cancellationToken).ConfigureAwait(false);
                report = _status.Check();
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_stopSent)
            {
                return;
            }

            Send($"READY=1\nSTATUS={report.Status}");
        }

        LogReady(report.Status);
    }

    private void Tick()
    {
        var report = _status.Check();
        lock (_gate)
        {
            if (_stopSent)
            {
                return;
            }

            // Without a ping systemd kills the service after WatchdogSec and Restart=on-failure starts it afresh.
            var feed = report.Healthy && _notifier.WatchdogInterval is not null;
            Send(feed ? $"WATCHDOG=1\nSTATUS={report.Status}" : $"STATUS={report.Status}");
            if (!report.Healthy && !_unhealthyLogged)
            {
                LogWatchdogWithheld(string.Join(", ", report.UnhealthyStreams), report.Status);
            }
            else if (report.Healthy && _unhealthyLogged)
            {
                LogHealthy();
            }

            _unhealthyLogged = !report.Healthy;
        }
    }

    private void SendStopping()
    {
        lock (_gate)
        {
            if (_stopSent)
            {
                return;
            }

            _stopSent = true;
            _timer?.Dispose();
            _timer = null;
            Send("STOPPING=1\nSTATUS=stopping");
        }

        _stopping.Cancel();
    }

    /// <summary>
    /// Sends one message; a failure is logged (once until a send works again), never thrown:
    /// systemd gone or restarting must not take the daemon down.
    /// </summary>
    private void Send(string message)
    {
        if (_notifier.Notify(message))
        {
            _notifyFailing = false;
            return;
        }

        if (_notifier.IsEnabled && !_notifyFailing)
        {
            _notifyFailing = true;
            LogNotifyFailed(message.Split('\n')[0], _notifier.LastError ?? "not sent");
        }
    }

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "systemd: notify failed ({Message}): {Error}; the daemon keeps running")]
    private partial void LogNotifyFailed(string message, string error);

    [LoggerMessage(EventId = 7000, Level = LogLevel.Debug, Message = "systemd: notifying {Socket}, watchdog {WatchdogSeconds} s")]
    private partial void LogNotifySocket(string socket, double watchdogSeconds);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "systemd: ready ({Status})")]
    private partial void LogReady(string status);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "systemd: watchdog not fed, unhealthy stream(s): {Streams} ({Status})")]
    private partial void LogWatchdogWithheld(string streams, string status);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "systemd: every stream healthy again, watchdog fed")]
    private partial void LogHealthy();
}
