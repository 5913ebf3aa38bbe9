using System.Diagnostics;
using CamStreamd.Hosting;
using CamStreamd.Interop.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Hosting;

/// <summary>READY, STATUS, WATCHDOG, RELOADING and STOPPING as systemd receives them, on a manual clock.</summary>
public sealed class SystemdServiceTests : IDisposable
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(200);
    private readonly NotifyListener _listener = new(@abstract: true);
    private readonly ManualTimeProvider _time = new();
    private readonly FakeStatus _status = new();
    private readonly FakeLifetime _lifetime = new();

    public void Dispose()
    {
        _listener.Dispose();
        _lifetime.Dispose();
    }

    [Fact]
    public async Task Ready_is_sent_once_every_stream_left_starting()
    {
        _status.Settled = false;
        await using var service = Create(watchdog: null);
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(Short);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(SystemdService.ReadyPollInterval);
        }

        Assert.Null(await _listener.ReceiveAsync(Short));

        _status.Settled = true;
        var ready = await AdvanceUntilAsync("READY=1", SystemdService.ReadyPollInterval);

        Assert.Equal("READY=1\nSTATUS=1 stream(s): cam0 running 30.0 fps; 0 client(s)", ready);
    }

    [Fact]
    public async Task Ready_after_the_wait_limit_when_a_stream_keeps_starting()
    {
        _status.Settled = false;
        _status.Status = "1 stream(s): cam0 starting 0.0 fps; 0 client(s)";
        await using var service = Create(watchdog: null);
        await service.StartAsync(CancellationToken.None);

        var ready = await AdvanceUntilAsync("READY=1", SystemdService.ReadyPollInterval);

        Assert.Contains("cam0 starting", ready, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() - new ManualTimeProvider().GetUtcNow() >= SystemdService.ReadyWaitLimit);
    }

    [Fact]
    public async Task Watchdog_is_fed_every_half_interval_only_while_healthy()
    {
        await using var service = Create(watchdog: TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(1), service.TickInterval);
        await service.StartAsync(CancellationToken.None);
        await _listener.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(5));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("WATCHDOG=1\nSTATUS=1 stream(s): cam0 running 30.0 fps; 0 client(s)", await _listener.ReceiveAsync(Short));

        _status.Healthy = false;
        _status.Status = "1 stream(s): cam0 failed, retrying 0.0 fps; 0 client(s)";
        _time.Advance(TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        var failed = "STATUS=1 stream(s): cam0 failed, retrying 0.0 fps; 0 client(s)";
        Assert.Equal(failed, await _listener.ReceiveAsync(Short));
        Assert.Equal(failed, await _listener.ReceiveAsync(Short));

        _status.Healthy = true;
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.StartsWith("WATCHDOG=1\n", await _listener.ReceiveAsync(Short), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_is_sent_once_when_the_stop_begins_and_nothing_after()
    {
        await using var service = Create(watchdog: TimeSpan.FromSeconds(2));
        await service.StartAsync(CancellationToken.None);
        await _listener.ReceiveUntilAsync("READY=1", TimeSpan.FromSeconds(5));

        _lifetime.StopApplication();
        await service.StopAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["STOPPING=1\nSTATUS=stopping"], _listener.Drain());
    }

    [Fact]
    public async Task Reload_sends_reloading_with_the_monotonic_clock_then_ready()
    {
        await using var service = Create(watchdog: null);
        var before = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
        var monotonic = SystemdLibc.MonotonicMicroseconds();
        var after = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);

        service.NotifyReloading(monotonic);
        service.NotifyReloaded("reloaded");

        // .NET's Stopwatch is CLOCK_MONOTONIC on Linux: the value systemd compares with.
        Assert.InRange(monotonic, before, after);
        Assert.Equal($"RELOADING=1\nMONOTONIC_USEC={monotonic}\nSTATUS=reloading the configuration", await _listener.ReceiveAsync(Short));
        Assert.Equal("READY=1\nSTATUS=reloaded; 1 stream(s): cam0 running 30.0 fps; 0 client(s)", await _listener.ReceiveAsync(Short));
    }

    [Fact]
    public async Task A_failing_notify_is_logged_once_and_the_service_keeps_going()
    {
        var logs = new CamStreamd.Tests.Rtsp.TestSupport.ListLoggerFactory();
        var gone = Path.Combine(Path.GetTempPath(), $"camstreamd-gone-{Guid.NewGuid():N}");
        await using var service = new SystemdService(new SystemdNotifier(gone, TimeSpan.FromSeconds(2)), _status, _time, _lifetime, logs.CreateLogger<SystemdService>());

        await service.StartAsync(CancellationToken.None);
        await service.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            service.NotifyReloaded("reloaded");
        }

        var failures = logs.WithId(7004);
        Assert.True(failures.Count == 1, $"expected one notify-failed warning, got {failures.Count}: {string.Join(" | ", logs.Lines)}");
        Assert.Equal(LogLevel.Warning, failures[0].Level);
        Assert.Contains("READY=1", failures[0].Message, StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
    }

    private SystemdService Create(TimeSpan? watchdog) =>
        new(new SystemdNotifier(_listener.SocketName, watchdog), _status, _time, _lifetime, NullLogger<SystemdService>.Instance);

    private async Task<string> AdvanceUntilAsync(string line, TimeSpan step)
    {
        for (var i = 0; i < 200; i++)
        {
            _time.Advance(step);
            foreach (var message in _listener.Drain())
            {
                if (message.Split('\n').Contains(line))
                {
                    return message;
                }
            }

            await Task.Delay(5);
        }

        Assert.Fail($"no {line}");
        return "";
    }

    private sealed class FakeStatus : IDaemonStatus
    {
        public volatile bool Healthy = true;
        public volatile bool Settled = true;
        public volatile string Status = "1 stream(s): cam0 running 30.0 fps; 0 client(s)";

        public DaemonStatusReport Check() => new(Healthy, Settled, Status, Healthy ? [] : ["cam0"]);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();

        public void Dispose() => _stopping.Dispose();
    }
}
