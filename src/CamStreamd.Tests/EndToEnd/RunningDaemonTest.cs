namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// Base of the end-to-end tests that watch one running daemon: each test gets its own daemon
/// process (one 640x360, 30 fps, GOP 30 test-pattern stream named cam0 on a free port).
/// </summary>
public abstract class RunningDaemonTest : IAsyncLifetime
{
    /// <summary>The daemon of the current test.</summary>
    internal DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>Extra environment of the daemon (none by default).</summary>
    protected virtual IReadOnlyDictionary<string, string>? DaemonEnvironment => null;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Daemon = await DaemonProcess.StartAsync(DaemonProcess.TestPatternConfig(width: 640, height: 360, fps: 30, gop: 30), environment: DaemonEnvironment);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Daemon.DisposeAsync();
}
