using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using CamStreamd.Media;
using CamStreamd.Rtp;

namespace CamStreamd.Benchmarks;

/// <summary>
/// StreamHub fan-out: publish one 12-packet frame (packetized once) to the subscribers, each of
/// which takes it from its queue and releases it, as a session's send loop does. One operation
/// is one packet delivered to one viewer. GOPs are 30 frames, so the GOP cache turns over too.
/// </summary>
public class HubFanoutBenchmarks
{
    private const int Viewers = 50;
    private const int GopFrames = 30;

    private readonly AccessUnitPool _pool = new();

    // A real token, as a session's send loop has: registering on it is part of a wait.
    private readonly CancellationTokenSource _stop = new();
    private byte[] _keyframe = null!;
    private byte[] _frame = null!;
    private StreamHub _hub = null!;
    private HubSubscription[] _subscriptions = null!;
    private HubSubscription _waiting = null!;
    private StreamHub _waitingHub = null!;
    private long _number;
    private long _waitingNumber;
    private long _readFrames;
    private Task _reader = Task.CompletedTask;

    /// <summary>Builds the hubs and runs a few GOPs so pools and caches reach their steady size.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _keyframe = SampleUnits.Frame(keyframe: true);
        _frame = SampleUnits.Frame(keyframe: false);
        _hub = new StreamHub("bench", 1280, 720, 30, 1280 * 720, GopFrames + 30, new H264RtpPacketizer(1, 1, 0));
        _subscriptions = new HubSubscription[Viewers];
        for (var i = 0; i < Viewers; i++)
        {
            _subscriptions[i] = _hub.Subscribe();
        }

        _waitingHub = new StreamHub("waiting", 1280, 720, 30, 1280 * 720, GopFrames + 30, new H264RtpPacketizer(2, 1, 0));
        _waiting = _waitingHub.Subscribe();
        _reader = Task.Run(ReadLoopAsync);
        for (var i = 0; i < 4 * GopFrames; i++)
        {
            PublishToViewers();
            PublishToWaitingReader();
        }
    }

    /// <summary>Ends the subscriptions.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _hub.Dispose();
        _waitingHub.Dispose();
        if (!_reader.Wait(TimeSpan.FromSeconds(5)))
        {
            throw new TimeoutException("the reader loop did not end");
        }

        _stop.Dispose();
    }

    /// <summary>One frame to 50 viewers whose queues are read at once (no reader waits).</summary>
    [Benchmark(OperationsPerInvoke = SampleUnits.PacketsPerFrame * Viewers)]
    public int PublishToViewers()
    {
        var number = _number++;
        var keyframe = number % GopFrames == 0;
        _hub.Publish(SampleUnits.Rent(_pool, keyframe ? _keyframe : _frame, number, keyframe));
        var packets = 0;
        foreach (var subscription in _subscriptions)
        {
            while (subscription.TryRead(out var unit))
            {
                packets += unit.Rtp.PacketCount;
                unit.Release();
            }
        }

        return packets;
    }

    /// <summary>One frame to one viewer whose reader loop waits for it on the thread pool, as a session's send loop does.</summary>
    /// <remarks>The publishing thread spins (bounded) until the reader has taken the frame; the reader is usually waiting by then.</remarks>
    [Benchmark(OperationsPerInvoke = SampleUnits.PacketsPerFrame)]
    public long PublishToWaitingReader()
    {
        var number = _waitingNumber++;
        var keyframe = number % GopFrames == 0;
        var target = Volatile.Read(ref _readFrames) + 1;
        _waitingHub.Publish(SampleUnits.Rent(_pool, keyframe ? _keyframe : _frame, number, keyframe));
        var spinner = default(SpinWait);
        var started = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _readFrames) < target)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(5))
            {
                throw new TimeoutException($"the reader did not take frame {number} within 5 s");
            }

            spinner.SpinOnce();
        }

        return target;
    }

    private async Task ReadLoopAsync()
    {
        while (await _waiting.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
        {
            while (_waiting.TryRead(out var unit))
            {
                unit.Release();
                Interlocked.Increment(ref _readFrames);
            }
        }
    }
}
