using System.Diagnostics;
using System.Globalization;
using CamStreamd.WebRtc.Dtls;

namespace CamStreamd.WhepLoad;

/// <summary>
/// N sessions of the load client against one WHEP endpoint: connected a few at a time (each
/// handshake is a blocking BouncyCastle call on a pool thread), counted together, ended together.
/// One thread receives for all of them as rtspload does (wait until a socket is readable, drain
/// it, wait again), one task sends every session's consent checks.
/// </summary>
internal sealed class WhepLoadRun : IAsyncDisposable
{
    /// <summary>Sessions connecting at once: enough to start fifty in a few seconds, few enough not to starve the pool.</summary>
    private const int ConnectingAtOnce = 4;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly List<WhepLoadSession> _sessions = [];
    private readonly Lock _gate = new();
    private readonly List<WhepLoadSession> _connected = [];
    private readonly CancellationTokenSource _stop = new();
    private Thread? _receiver;
    private int _connectedCount;
    private Task _consent = Task.CompletedTask;
    private long[] _markBytes = [];
    private long _markTimestamp;

    /// <summary>The sessions, in the order they were started.</summary>
    public IReadOnlyList<WhepLoadSession> Sessions => _sessions;

    /// <summary>Starts <paramref name="count"/> sessions on <paramref name="endpoint"/> (…/streams/NAME/whep); throws if any fails.</summary>
    public async Task StartAsync(Uri endpoint, int count, int verifyEvery, CancellationToken cancellationToken)
    {
        var identity = DtlsCertificate.Create("whepload");
        for (var i = 0; i < count; i++)
        {
            _sessions.Add(new WhepLoadSession(_http, endpoint, identity, verifyEvery));
        }

        _receiver = new Thread(Receive) { IsBackground = true, Name = "whepload receive" };
        _receiver.Start();
        _consent = ConsentAsync(_stop.Token);
        using var gate = new SemaphoreSlim(ConnectingAtOnce);
        await Task.WhenAll(_sessions.Select(async session =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _connected.Add(session);
                    Volatile.Write(ref _connectedCount, _connected.Count);
                }
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        Mark();
    }

    /// <summary>Waits until every session has authenticated and decrypted <paramref name="packets"/> packets.</summary>
    public async Task WaitForMediaAsync(long packets, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (_sessions.Any(s => s.Verified < packets))
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"after {timeout.TotalSeconds:0} s, {_sessions.Count(s => s.Verified < packets)} of {_sessions.Count} sessions had fewer than {packets} packets that decrypted; {Summary()}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts the rate window (the bench marks it when its CPU windows start).</summary>
    public void Mark()
    {
        _markBytes = _sessions.Select(s => s.Bytes).ToArray();
        _markTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>One line: totals, and each session's receive rate since the mark (median and least).</summary>
    public string Summary()
    {
        var seconds = Math.Max(1e-3, Stopwatch.GetElapsedTime(_markTimestamp).TotalSeconds);
        var rates = _sessions.Select((s, i) => (s.Bytes - (i < _markBytes.Length ? _markBytes[i] : 0)) * 8 / seconds / 1e6).Order().ToArray();
        var median = rates.Length == 0 ? 0 : rates.Length % 2 == 1 ? rates[rates.Length / 2] : (rates[(rates.Length / 2) - 1] + rates[rates.Length / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"sessions={_sessions.Count} packets={_sessions.Sum(s => s.Packets)} bytes={_sessions.Sum(s => s.Bytes)} verified={_sessions.Sum(s => s.Verified)} auth_failed={_sessions.Sum(s => s.AuthFailures)} bad_payload={_sessions.Sum(s => s.BadPayloads)} rtcp={_sessions.Sum(s => s.Rtcp)} stun_answers={_sessions.Sum(s => s.StunAnswers)} seconds={seconds:0.00} median_mbit_s={median:0.000} min_mbit_s={(rates.Length == 0 ? 0 : rates[0]):0.000}");
    }

    /// <summary>Ends every session (DELETE) and frees the client.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _receiver?.Join();
        await _consent.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_sessions.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
    }

    private WhepLoadSession[] Connected()
    {
        lock (_gate)
        {
            return [.. _connected];
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        var sessions = Array.Empty<WhepLoadSession>();
        var bySocket = new Dictionary<System.Net.Sockets.Socket, WhepLoadSession>();
        var ready = new List<System.Net.Sockets.Socket>();
        while (!_stop.IsCancellationRequested)
        {
            if (sessions.Length != Volatile.Read(ref _connectedCount))
            {
                sessions = Connected();
                bySocket = sessions.ToDictionary(s => s.Socket);
            }

            if (sessions.Length == 0)
            {
                Thread.Sleep(20);
                continue;
            }

            ready.Clear();
            ready.AddRange(bySocket.Keys);
            // select(): at most 200 ms, so a new session or the stop is seen soon.
            System.Net.Sockets.Socket.Select(ready, null, null, 200_000);
            foreach (var socket in ready)
            {
                bySocket[socket].Drain(buffer);
            }
        }
    }

    private async Task ConsentAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(WhepLoadSession.ConsentInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var session in Connected())
            {
                session.SendConsentCheck();
            }
        }
    }
}
