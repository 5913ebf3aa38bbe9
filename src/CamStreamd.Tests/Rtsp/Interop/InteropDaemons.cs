namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// The interop rows' daemons, shared: rows with the same <see cref="InteropCase.DaemonKey"/> use
/// one daemon, and at most one runs at a time (the machines have two cores; an idle daemon still
/// encodes). <see cref="InteropRowOrderer"/> runs each class's rows grouped by key, so each class
/// starts one daemon per key (three) instead of one per row (seven).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes collection fixtures through IAsyncLifetime.DisposeAsync, which disposes the gate.")]
public sealed class InteropDaemons : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private InteropRun? _current;

    /// <summary>Daemons started so far (for the test output).</summary>
    public int Started { get; private set; }

    /// <summary>The running daemon for <paramref name="row"/>, started (and the previous one stopped) when the key changes.</summary>
    internal async Task<InteropRun> AcquireAsync(InteropCase row)
    {
        await _gate.WaitAsync(TimeSpan.FromSeconds(60));
        try
        {
            if (_current?.Key == row.DaemonKey)
            {
                return _current;
            }

            if (_current is not null)
            {
                await _current.DisposeAsync();
                _current = null;
            }

            _current = await InteropRun.StartAsync(row);
            Started++;
            return _current;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        _gate.Dispose();
    }
}
