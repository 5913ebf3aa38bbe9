using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using CamStreamd.Media;
using CamStreamd.Media.H264;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Capture;

/// <summary>
/// Turns the access units of a pull session into <see cref="VideoPixelFormat.H264"/> frames for
/// <see cref="RtspPullSource"/>: copies each into a pooled frame, puts the latest SPS and PPS
/// (from the SDP's sprop-parameter-sets or in-band) in front of an IDR that lacks them, so
/// every relayed GOP decodes on its own, and maps the upstream's RTP timestamps onto the
/// monotonic clock. Runs on the session's receive thread; frames are returned from the pipeline.
/// </summary>
internal sealed class RelayedUnitWriter : IH264UnitReceiver
{
    /// <summary>Relayed timestamps further than this from our clock are re-anchored (an upstream clock that drifts or jumps).</summary>
    private static readonly long MaxDriftTicks = Stopwatch.Frequency;

    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private readonly RtspPullSource _source;
    private readonly ConcurrentQueue<VideoFrame> _free = new();
    private byte[] _sps = [];
    private byte[] _pps = [];
    private int _width;
    private int _height;
    private int _clockRate = AccessUnit.ClockRate;
    private bool _anchored;
    private uint _lastRtp;
    private long _extended;
    private long _anchorTicks;
    private long _frameNumber;
    private volatile bool _sessionUp;

    public RelayedUnitWriter(RtspPullSource source, int width, int height)
    {
        _source = source;
        _width = width;
        _height = height;
    }

    /// <summary>True while a session plays.</summary>
    public bool SessionUp => _sessionUp;

    /// <summary>A session started playing <paramref name="track"/>: seed parameter sets, restart the clock mapping.</summary>
    public void Begin(SdpH264Track track)
    {
        _clockRate = track.ClockRate;
        if (track.Sps.Length > 0 && track.Pps.Length > 0)
        {
            StoreSps(track.Sps);
            _pps = track.Pps;
        }

        _anchored = false;
        _sessionUp = true;
    }

    /// <summary>The session ended.</summary>
    public void End() => _sessionUp = false;

    /// <inheritdoc/>
    public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss)
    {
        var (hasSps, hasPps, hasSlice) = Scan(annexB);
        if (!hasSlice)
        {
            // Headers alone: kept for the next IDR.
            return;
        }

        var prepend = keyframe && !(hasSps && hasPps) && _sps.Length > 0 && _pps.Length > 0;
        var length = annexB.Length + (prepend ? (2 * StartCode.Length) + _sps.Length + _pps.Length : 0);
        var frame = Rent(length, out var buffer);
        var offset = 0;
        if (prepend)
        {
            offset = Append(buffer, offset, _sps);
            offset = Append(buffer, offset, _pps);
        }

        annexB.CopyTo(buffer.AsSpan(offset));
        frame.SetPayload(VideoPixelFormat.H264, _width, _height, buffer.AsMemory(0, length));
        frame.CaptureTimestamp = ToLocalTicks(rtpTimestamp);

        // A unit lost before this one leaves a gap in the numbers: the passthrough waits for an IDR.
        _frameNumber += afterLoss ? 2 : 1;
        frame.FrameNumber = _frameNumber;
        if (!_source.TryEnqueue(frame))
        {
            Return(frame);
            _frameNumber++;
        }
    }

    /// <summary>Takes a frame back from the pipeline.</summary>
    public void Return(VideoFrame frame) => _free.Enqueue(frame);

    private VideoFrame Rent(int length, out byte[] buffer)
    {
        if (_free.TryDequeue(out var frame) && MemoryMarshal.TryGetArray<byte>(frame.Payload, out var segment) && segment.Array!.Length >= length)
        {
            buffer = segment.Array;
            return frame;
        }

        // Buffers grow to the stream's largest unit and are reused; at most the queue's length plus two exist.
        frame ??= new VideoFrame(_source);
        buffer = new byte[Math.Max(length, 64 * 1024)];
        return frame;
    }

    private static int Append(byte[] buffer, int offset, byte[] nal)
    {
        StartCode.CopyTo(buffer.AsSpan(offset));
        nal.CopyTo(buffer.AsSpan(offset + StartCode.Length));
        return offset + StartCode.Length + nal.Length;
    }

    private (bool Sps, bool Pps, bool Slice) Scan(ReadOnlySpan<byte> annexB)
    {
        var (sps, pps, slice) = (false, false, false);
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            switch (AnnexBReader.NalType(nal))
            {
                case NalUnitType.Sps:
                    sps = true;
                    if (!nal.SequenceEqual(_sps))
                    {
                        StoreSps(nal.ToArray());
                    }

                    break;
                case NalUnitType.Pps:
                    pps = true;
                    if (!nal.SequenceEqual(_pps))
                    {
                        _pps = nal.ToArray();
                    }

                    break;
                case NalUnitType.IdrSlice or NalUnitType.NonIdrSlice:
                    slice = true;
                    break;
            }
        }

        return (sps, pps, slice);
    }

    private void StoreSps(byte[] sps)
    {
        _sps = sps;
        if (SpsParser.TryParse(sps, out var parsed) && parsed is { Width: > 0, Height: > 0 })
        {
            (_width, _height) = (parsed.Width, parsed.Height);
        }
    }

    /// <summary>Maps an RTP timestamp onto Stopwatch ticks: anchored at the session's first unit, following the upstream's spacing.</summary>
    private long ToLocalTicks(uint rtpTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        if (_anchored)
        {
            // Signed 32-bit difference: handles the wrap (RFC 3550 §5.1 timestamps wrap freely).
            _extended += unchecked((int)(rtpTimestamp - _lastRtp));
            _lastRtp = rtpTimestamp;
            var ticks = _anchorTicks + (long)((Int128)_extended * Stopwatch.Frequency / _clockRate);
            if (Math.Abs(ticks - now) <= MaxDriftTicks)
            {
                return ticks;
            }
        }

        _anchored = true;
        _lastRtp = rtpTimestamp;
        _extended = 0;
        _anchorTicks = now;
        return now;
    }
}
