using System.Collections.Concurrent;
using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// One stream's JPEG pictures for every MJPEG viewer and snapshot: it runs only while at least
/// one viewer is attached, takes frames from the pipeline's raw-frame tap at the MJPEG rate,
/// encodes each picture once, and keeps the latest one for the viewers to take. The capture loop
/// never waits: a frame arriving while the previous picture is still being encoded is skipped,
/// and the copy into the producer's own I420 buffer happens only for frames that will be encoded.
/// Frames that are already JPEG (an MJPEG camera) are passed through as they are.
/// </summary>
internal sealed class MjpegProducer
{
    private readonly StreamInstance _stream;
    private readonly MjpegOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<JpegPicture> _pictures = new();
    private readonly List<FrameSignal> _viewers = [];
    private readonly Lock _lock = new();
    private JpegPicture? _latest;
    private MjpegRun? _run;
    private long _sequence;
    private long _encoded;
    private long _failures;
    private long _lastFrameSize;

    /// <summary>Creates the (idle) producer of <paramref name="stream"/>.</summary>
    public MjpegProducer(StreamInstance stream, MjpegOptions options, ILoggerFactory loggerFactory)
    {
        _stream = stream;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<MjpegProducer>();
    }

    /// <summary>The stream it serves.</summary>
    public StreamInstance Stream => _stream;

    /// <summary>Pictures per second it aims for.</summary>
    public double Fps => _options.Fps;

    /// <summary>Time between two pictures at <see cref="Fps"/>.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(1 / _options.Fps);

    /// <summary>JPEG quality.</summary>
    public int Quality => _options.Quality;

    /// <summary>True while viewers are attached (the tap and the encoder run).</summary>
    public bool Active
    {
        get
        {
            lock (_lock)
            {
                return _run is not null;
            }
        }
    }

    /// <summary>Pictures made (encoded or passed through) since the producer was created.</summary>
    public long PicturesEncoded => Interlocked.Read(ref _encoded);

    /// <summary>Size of the last frame the tap saw (0x0 before the first): what the source really delivers.</summary>
    public (int Width, int Height) LastFrameSize => ((int)(Interlocked.Read(ref _lastFrameSize) >> 32), (int)Interlocked.Read(ref _lastFrameSize));

    /// <summary>Pictures that failed to encode.</summary>
    public long EncodeFailures => Interlocked.Read(ref _failures);

    /// <summary>Attaches a viewer; the first one starts the producer. <paramref name="signal"/> is set for each new picture.</summary>
    public void Attach(FrameSignal signal)
    {
        lock (_lock)
        {
            _viewers.Add(signal);
            if (_run is null)
            {
                _run = new MjpegRun(this, _loggerFactory);
                _stream.Pipeline.FrameCaptured += _run.OnFrame;
                _run.Start();
                HttpLog.MjpegStarted(_logger, _stream.Name, _options.Fps, _options.Quality);
            }
        }
    }

    /// <summary>Detaches a viewer; the last one stops the producer and drops the latest picture.</summary>
    public void Detach(FrameSignal signal)
    {
        JpegPicture? stale = null;
        lock (_lock)
        {
            if (!_viewers.Remove(signal) || _viewers.Count > 0 || _run is not { } run)
            {
                return;
            }

            _stream.Pipeline.FrameCaptured -= run.OnFrame;
            run.Stop();
            _run = null;
            stale = _latest;
            _latest = null;
        }

        stale?.Release();
        HttpLog.MjpegStopped(_logger, _stream.Name, PicturesEncoded);
    }

    /// <summary>The latest picture with a reference for the caller (who must release it), or null.</summary>
    public JpegPicture? AcquireLatest()
    {
        lock (_lock)
        {
            _latest?.AddReference();
            return _latest;
        }
    }

    /// <summary>Rents an empty picture buffer.</summary>
    internal JpegPicture RentPicture(int capacity) => JpegPicture.Rent(_pictures, capacity);

    /// <summary>Makes <paramref name="picture"/> (whose reference passes to the producer) the latest, if <paramref name="run"/> is still current.</summary>
    internal void Publish(MjpegRun run, JpegPicture picture)
    {
        JpegPicture? previous;
        lock (_lock)
        {
            if (!ReferenceEquals(run, _run))
            {
                previous = picture;
            }
            else
            {
                previous = _latest;
                picture.Sequence = ++_sequence;
                _latest = picture;
                Interlocked.Increment(ref _encoded);
                foreach (var viewer in _viewers)
                {
                    viewer.Set();
                }
            }
        }

        previous?.Release();
    }

    /// <summary>Records the size of a frame the tap took.</summary>
    internal void NoteFrameSize(int width, int height) => Interlocked.Exchange(ref _lastFrameSize, ((long)width << 32) | (uint)height);

    /// <summary>Counts a failed picture; returns the count.</summary>
    internal long AddFailure() => Interlocked.Increment(ref _failures);

    /// <summary>The source's frame interval, in Stopwatch ticks.</summary>
    internal long SourceIntervalTicks => (long)(Stopwatch.Frequency / Math.Max(1, _stream.Options.Source.Fps));

    /// <summary>The stream's name.</summary>
    internal string Name => _stream.Name;

    /// <summary>The logger.</summary>
    internal ILogger Logger => _logger;
}
