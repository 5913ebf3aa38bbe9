using System.Runtime.InteropServices;
using System.Threading.Channels;
using CamStreamd.Configuration;
using CamStreamd.Interop.Systemd;
using CamStreamd.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary>
/// <c>systemctl reload camstreamd</c> (SIGHUP): re-reads and validates the configuration; an
/// invalid one is logged and the running one stays; a valid one is applied by the
/// <see cref="StreamSupervisor"/> (unchanged streams keep their viewers), its log level at once,
/// and settings that need a restart are logged as such. systemd hears RELOADING=1 and READY=1 around it.
/// </summary>
public sealed partial class ConfigReloader : IHostedService, IAsyncDisposable
{
    private readonly ReloadSource _source;
    private readonly StreamSupervisor _supervisor;
    private readonly SystemdService _systemd;
    private readonly LogLevelSwitches _levels;
    private readonly ILogger<ConfigReloader> _logger;

    // One pending reload at most: signals that arrive during a reload fold into one more.
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private CamStreamdOptions _running;
    private PosixSignalRegistration? _signal;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    /// <summary>Creates the reloader of the configuration the daemon started with.</summary>
    public ConfigReloader(ReloadSource source, CamStreamdOptions running, StreamSupervisor supervisor, SystemdService systemd, LogLevelSwitches levels, ILogger<ConfigReloader> logger)
    {
        _source = source;
        _running = running;
        _supervisor = supervisor;
        _systemd = systemd;
        _levels = levels;
        _logger = logger;
    }

    /// <summary>The configuration in effect (the last valid one).</summary>
    public CamStreamdOptions Running => Volatile.Read(ref _running);

    /// <summary>Listens for SIGHUP.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _signal = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // handled: SIGHUP must not end the process
            RequestReload();
        });
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening; a reload in progress finishes (the supervisor's lock orders it before the stop).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _signal?.Dispose();
        _signal = null;
        _requests.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stop timeout passed.
        }
    }

    /// <summary>Queues a reload (what SIGHUP does); folds into one already queued.</summary>
    public void RequestReload() => _requests.Writer.TryWrite(true);

    /// <summary>Reloads now: true when a new configuration was applied, false when it was invalid (the running one stays).</summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        _systemd.NotifyReloading(SystemdLibc.MonotonicMicroseconds());
        LogReloading(_source.Describe());
        ConfigLoadResult loaded;
        try
        {
            loaded = ConfigLoader.Load(_source.Path);
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
            {
                LogInvalid(error);
            }

            LogRejected(e.Errors.Count);
            _systemd.NotifyReloaded("reload rejected, configuration invalid, previous one still running");
            return false;
        }

        var next = loaded.Options;
        foreach (var notice in loaded.Notices)
        {
            LogNotice(notice.Key, notice.Message);
        }

        foreach (var key in RestartRequiredSettings.Changed(Running, next))
        {
            LogNeedsRestart(key);
        }

        if (_levels.Apply(next.Logging.Level))
        {
            LogLevelChanged(next.Logging.Level);
        }

        var changes = await _supervisor.ApplyAsync(next, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _running, next);
        LogApplied(Names(changes.Added), Names(changes.Removed), Names(changes.Restarted), Names(changes.Unchanged));
        _systemd.NotifyReloaded("reloaded");
        return true;
    }

    /// <inheritdoc />
    /// <remarks>Idempotent: the container disposes the instance once per registration (singleton and hosted service).</remarks>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _signal?.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "-" : string.Join(", ", names);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _requests.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _requests.Reader.TryRead(out _);
                try
                {
                    await ReloadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(e);
                    _systemd.NotifyReloaded("reload failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "reload: reading {Source}")]
    private partial void LogReloading(string source);

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "reload: config error: {Error}")]
    private partial void LogInvalid(string error);

    [LoggerMessage(EventId = 152, Level = LogLevel.Error, Message = "reload rejected: {Count} error(s) in the new configuration; the previous configuration keeps running")]
    private partial void LogRejected(int count);

    [LoggerMessage(EventId = 153, Level = LogLevel.Warning, Message = "reload: {Key} changed; takes effect after systemctl restart camstreamd")]
    private partial void LogNeedsRestart(string key);

    [LoggerMessage(EventId = 154, Level = LogLevel.Information, Message = "reload: log level now {Level}")]
    private partial void LogLevelChanged(string level);

    [LoggerMessage(EventId = 155, Level = LogLevel.Information, Message = "reload applied: added {Added}; removed {Removed}; restarted {Restarted}; unchanged {Unchanged}")]
    private partial void LogApplied(string added, string removed, string restarted, string unchanged);

    [LoggerMessage(EventId = 156, Level = LogLevel.Error, Message = "reload failed")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 157, Level = LogLevel.Warning, Message = "reload: config {Key}: {Notice}")]
    private partial void LogNotice(string key, string notice);
}
