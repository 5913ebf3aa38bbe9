using CamStreamd.Configuration;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Publish;

/// <summary>
/// Pushes one stream to one upstream server, as an output under the output contract: while a
/// session is up it holds a hub subscription (its own bounded queue: a slow upstream loses
/// everything queued up to the next IDR, counted, and never slows capture or another output) and
/// a viewer lease. Each session starts on an IDR (the subscription begins with the cached GOP,
/// keyframe first). A refused or lost session is retried with the relay's backoff: 1 s doubling
/// to 30 s, and from 1 s again after a session that published.
/// </summary>
public sealed class PublishTarget : IAsyncDisposable
{
    /// <summary>First delay before a retry.</summary>
    public static readonly TimeSpan InitialRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between retries.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a TCP connection to the upstream.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Access units queued for the upstream beyond the cached GOP (about 3 s at 30 fps).</summary>
    public const int QueueCapacity = 90;

    /// <summary>How often a target checks for the stream's first keyframe before it can announce (only before the first one).</summary>
    private static readonly TimeSpan DescriptionPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between two such checks.</summary>
    private static readonly TimeSpan MaxDescriptionPoll = TimeSpan.FromSeconds(5);

    private readonly StreamHub _hub;
    private readonly Func<StreamDescription, CancellationToken, Task<IPublishConnection>> _connect;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;
    private int _disposed;

    internal PublishTarget(StreamHub hub, PublishCounters counters, Func<StreamDescription, CancellationToken, Task<IPublishConnection>> connect, ILogger logger)
    {
        _hub = hub;
        Counters = counters;
        _connect = connect;
        _logger = logger;
    }

    /// <summary>State and totals (API, metrics).</summary>
    public PublishCounters Counters { get; }

    /// <summary>A target for <paramref name="options"/> (its URL scheme picks RTSP or libavformat).</summary>
    public static PublishTarget Create(StreamHub hub, PublishTargetOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<PublishTarget>();
        var scheme = options.Url![..options.Url!.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant();
        var shown = ConfigRedactor.RedactUrl(options.Url)!;
        if (scheme is "rtsp" or "rtsps")
        {
            return new PublishTarget(
                hub,
                new PublishCounters(shown, "rtsp", options.Transport),
                async (description, ct) => await RtspPublishConnection.OpenAsync(options, description, hub.Name, logger, ConnectTimeout, ct).ConfigureAwait(false),
                logger);
        }

        return new PublishTarget(
            hub,
            new PublishCounters(shown, scheme, scheme == "srt" ? "udp" : "tcp"),
            (description, ct) => AvFormatPublishConnection.OpenAsync(options.Url!, scheme, description, ct),
            logger);
    }

    /// <summary>Starts the target's loop.</summary>
    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        Counters.SetState(PublishState.Stopped);
    }

    internal static TimeSpan NextRetryDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = InitialRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var published = false;
            try
            {
                published = await RunSessionAsync(cancellationToken).ConfigureAwait(false);
                Counters.AddFailure("the upstream closed the session");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                published |= e.Data["published"] is true;
                Counters.AddFailure(e.Message);
            }

            if (published)
            {
                delay = InitialRetryDelay;
            }

            Counters.SetState(PublishState.Retrying);
            PublishLog.Failed(_logger, _hub.Name, Counters.Url, Counters.LastError ?? "?", delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = NextRetryDelay(delay);
        }

        PublishLog.Stopped(_logger, _hub.Name, Counters.Url);
    }

    /// <summary>One session: announce, then send until it breaks. True when it got to publishing.</summary>
    private async Task<bool> RunSessionAsync(CancellationToken cancellationToken)
    {
        Counters.SetState(PublishState.Waiting);
        StreamDescription? description;
        var poll = DescriptionPoll;
        while ((description = _hub.Description) is null)
        {
            // Only before the stream's first keyframe ever; a stream kept stopped is looked at every 5 s.
            await Task.Delay(poll, cancellationToken).ConfigureAwait(false);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxDescriptionPoll.Ticks));
        }

        Counters.SetState(PublishState.Connecting);
        Counters.AddConnectAttempt();
        var connection = await _connect(description, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var subscription = _hub.Subscribe(QueueCapacity);
            using var lease = _hub.Counters.AddViewer(ViewerProtocol.Publish);
            Counters.AttachQueue(() => subscription.DroppedFrames);
            Counters.AddSession();
            Counters.SetState(PublishState.Publishing);
            PublishLog.Publishing(_logger, _hub.Name, Counters.Url, Counters.Protocol + "/" + Counters.Transport);
            using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _ = connection.Closed.ContinueWith(static (_, s) => ((CancellationTokenSource)s!).Cancel(), session, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                await PumpAsync(connection, subscription, session.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                var failure = connection.Failure ?? e;
                var wrapped = new PublishException(failure is OperationCanceledException ? "the upstream closed the session" : failure.Message, failure);
                wrapped.Data["published"] = true;
                throw wrapped;
            }
            finally
            {
                Counters.DetachQueue(subscription.DroppedFrames);
            }

            return true;
        }
    }

    private async Task PumpAsync(IPublishConnection connection, HubSubscription subscription, CancellationToken cancellationToken)
    {
        while (await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (subscription.TryRead(out var unit))
            {
                try
                {
                    var bytes = await connection.SendAsync(unit, cancellationToken).ConfigureAwait(false);
                    Counters.AddSent(bytes);
                }
                finally
                {
                    unit.Release();
                }
            }
        }
    }
}
