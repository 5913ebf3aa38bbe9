using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Publish;

/// <summary>
/// RTMP and SRT publishing through libavformat, from the access units the stream already has
/// (no re-encoding): FLV over RTMP, MPEG-TS over SRT. libavformat's calls block; every one is
/// bounded by <c>rw_timeout</c>, and they run on the target's own task, never on capture's.
/// </summary>
internal sealed class AvFormatPublishConnection : IPublishConnection
{
    /// <summary>Longest a connect, read or write may block, in microseconds (libavformat's <c>rw_timeout</c>).</summary>
    public const long IoTimeoutMicroseconds = 5_000_000;

    private readonly FFmpegMuxer _muxer;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _base90k = -1;
    private Exception? _failure;

    private AvFormatPublishConnection(FFmpegMuxer muxer) => _muxer = muxer;

    /// <inheritdoc/>
    public Task Closed => _closed.Task;

    /// <inheritdoc/>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Opens <paramref name="url"/> (<c>rtmp</c> or <c>srt</c> <paramref name="scheme"/>) and writes the container header.</summary>
    public static async Task<IPublishConnection> OpenAsync(string url, string scheme, StreamDescription description, CancellationToken cancellationToken)
    {
        var format = scheme switch
        {
            "rtmp" => "flv",
            "srt" => "mpegts",
            _ => throw new PublishException($"{scheme}:// is not published through libavformat"),
        };
        byte[] parameterSets = [0, 0, 0, 1, .. description.Sps, 0, 0, 0, 1, .. description.Pps];
        var timeout = IoTimeoutMicroseconds.ToString(CultureInfo.InvariantCulture);
        KeyValuePair<string, string>[] io = scheme == "srt"
            ? [new("rw_timeout", timeout), new("connect_timeout", (IoTimeoutMicroseconds / 1000).ToString(CultureInfo.InvariantCulture))]
            : [new("rw_timeout", timeout)];

        // FLV wants no per-packet flush; MPEG-TS over SRT sends each packet as it is muxed.
        KeyValuePair<string, string>[] options = [new("flush_packets", "1")];
        try
        {
            var muxer = await Task.Run(() => FFmpegMuxer.Open(format, url, description.Width, description.Height, parameterSets, options, io), cancellationToken).ConfigureAwait(false);
            return new AvFormatPublishConnection(muxer);
        }
        catch (FFmpegException e)
        {
            throw new PublishException($"{ConfigRedactor.RedactUrl(url)}: {e.Message}", e);
        }
        catch (FFmpegUnavailableException e)
        {
            throw new PublishException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> SendAsync(AccessUnit unit, CancellationToken cancellationToken)
    {
        if (_base90k < 0)
        {
            _base90k = unit.Timestamp90k;
        }

        try
        {
            _muxer.Write(unit.AnnexB, unit.Timestamp90k - _base90k, unit.IsKeyframe);
            return new ValueTask<int>(unit.Length);
        }
        catch (FFmpegException e)
        {
            Volatile.Write(ref _failure, e);
            _closed.TrySetResult();
            throw new PublishException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        try
        {
            if (Failure is null)
            {
                _muxer.Close();
            }
        }
        catch (FFmpegException)
        {
            // The peer is gone: nothing to finish.
        }
        finally
        {
            _muxer.Dispose();
            _closed.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}
