using System.Buffers.Text;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// <c>GET /streams/{name}/mjpeg</c> (multipart/x-mixed-replace, one JPEG part per picture, each
/// with Content-Type and Content-Length) and <c>GET /streams/{name}/snapshot.jpg</c>.
/// </summary>
internal sealed class MjpegEndpoints
{
    /// <summary>The multipart boundary (RFC 2046 §5.1.1: up to 70 characters, not found in the parts' headers).</summary>
    public const string Boundary = "camstreamd-frame";

    /// <summary>How long a snapshot waits for a fresh picture.</summary>
    public static readonly TimeSpan SnapshotTimeout = TimeSpan.FromSeconds(3);

    /// <summary>A viewer whose connection takes no data for this long is disconnected.</summary>
    public static readonly TimeSpan StalledViewerTimeout = TimeSpan.FromSeconds(10);

    // How often a waiting viewer checks that its stream still exists.
    private static readonly TimeSpan StreamCheckInterval = TimeSpan.FromSeconds(1);

    private const int MaxPartHeaderLength = 128;

    private readonly StreamSupervisor _supervisor;
    private readonly MjpegProducers _producers;
    private readonly ConnectionBudget _viewers;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the endpoints; <paramref name="viewers"/> bounds the MJPEG viewers (all streams, and per
    /// address), <paramref name="stopping"/> ends every viewer when the server stops.
    /// </summary>
    public MjpegEndpoints(StreamSupervisor supervisor, MjpegProducers producers, ConnectionBudget viewers, ILogger logger, CancellationToken stopping)
    {
        _supervisor = supervisor;
        _producers = producers;
        _viewers = viewers;
        _stopping = stopping;
        _logger = logger;
    }

    /// <summary>Streams pictures until the viewer leaves, the stream is removed or the server stops.</summary>
    public async Task MjpegAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        if (_supervisor.Find(name) is not { } stream)
        {
            await Problems.NoSuchStreamAsync(context, name).ConfigureAwait(false);
            return;
        }

        // A viewer plays, so it is never evicted: over the budget the newcomer is refused, and the
        // connections left over (http.maxConnections minus these) keep the API and metrics answering.
        var viewer = new MjpegViewer(context);
        var admission = _viewers.TryAdmit(viewer);
        if (admission != BudgetAdmission.Admitted)
        {
            context.Response.Headers.RetryAfter = "5";
            await Problems.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                admission == BudgetAdmission.RefusedPerAddress
                    ? $"this address already has {_viewers.PerAddressLimit} MJPEG viewers (http.maxMjpegViewers / 4)"
                    : $"{_viewers.Limit} MJPEG viewers already (http.maxMjpegViewers)").ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeViewerAsync(context, name, stream).ConfigureAwait(false);
        }
        finally
        {
            _viewers.Release(viewer);
        }
    }

    private async Task ServeViewerAsync(HttpContext context, string name, StreamInstance stream)
    {
        var response = context.Response;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        response.Headers.Pragma = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        var token = cancellation.Token;
        var producer = _producers.For(stream);
        using var signal = new FrameSignal();
        using var lease = stream.Counters.AddViewer(ViewerProtocol.Mjpeg);
        var remote = context.Connection.RemoteIpAddress?.ToString();
        HttpLog.MjpegViewerJoined(_logger, stream.Name, remote);
        producer.Attach(signal);
        long last = 0, sent = 0, skipped = 0;
        var header = new byte[MaxPartHeaderLength];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(token);
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (!await signal.WaitAsync(StreamCheckInterval, token).ConfigureAwait(false))
                {
                    if (!ReferenceEquals(_supervisor.Find(name), stream))
                    {
                        break;
                    }

                    continue;
                }

                if (producer.AcquireLatest() is not { } picture)
                {
                    continue;
                }

                int length;
                try
                {
                    if (picture.Sequence == last)
                    {
                        continue;
                    }

                    if (last != 0 && picture.Sequence > last + 1)
                    {
                        // This viewer was slower than the producer: it skipped to the latest picture.
                        var missed = picture.Sequence - last - 1;
                        skipped += missed;
                        stream.Counters.AddDropped(DropReason.ViewerQueueFull, missed);
                    }

                    last = picture.Sequence;
                    length = WritePart(response, header, picture.Span);
                }
                finally
                {
                    // The bytes are in the response pipe now; the picture is free for the producer.
                    picture.Release();
                }

                // The flush waits while the kernel's send buffer is full; a viewer that takes
                // nothing for StalledViewerTimeout is cut off (reusing one timer, no allocation).
                stall.CancelAfter(StalledViewerTimeout);
                await response.BodyWriter.FlushAsync(stall.Token).ConfigureAwait(false);
                if (!stall.TryReset())
                {
                    break;
                }

                stream.Counters.AddSent(length);
                sent++;
            }
        }
        catch (OperationCanceledException)
        {
            // The viewer left, stalled, or the server stops.
        }
        finally
        {
            if (stall.IsCancellationRequested && !token.IsCancellationRequested)
            {
                HttpLog.MjpegViewerStalled(_logger, stream.Name, remote, StalledViewerTimeout.TotalSeconds);
                context.Abort();
            }

            producer.Detach(signal);
            HttpLog.MjpegViewerLeft(_logger, stream.Name, remote, sent, skipped);
        }
    }

    /// <summary>The latest picture as one JPEG (waits up to <see cref="SnapshotTimeout"/> for a fresh one).</summary>
    public async Task SnapshotAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        if (_supervisor.Find(name) is not { } stream)
        {
            await Problems.NoSuchStreamAsync(context, name).ConfigureAwait(false);
            return;
        }

        var producer = _producers.For(stream);
        using var signal = new FrameSignal();
        JpegPicture? picture = null;
        producer.Attach(signal);
        try
        {
            // A picture already being shown to MJPEG viewers is fresh enough; else wait for the next.
            picture = producer.AcquireLatest();
            if (picture is null)
            {
                using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
                if (await signal.WaitAsync(SnapshotTimeout, cancellation.Token).ConfigureAwait(false))
                {
                    picture = producer.AcquireLatest();
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            producer.Detach(signal);
        }

        if (picture is null)
        {
            await Problems.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                $"stream \"{stream.Name}\" produced no picture within {SnapshotTimeout.TotalSeconds} s (state: {stream.State})").ConfigureAwait(false);
            return;
        }

        try
        {
            context.Response.ContentType = "image/jpeg";
            context.Response.ContentLength = picture.Length;
            context.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
            await context.Response.Body.WriteAsync(picture.Buffer.AsMemory(0, picture.Length), context.RequestAborted).ConfigureAwait(false);
            stream.Counters.AddSent(picture.Length);
        }
        finally
        {
            picture.Release();
        }
    }

    /// <summary>Writes "--boundary, headers, blank line, JPEG, CRLF" into the response pipe; returns the bytes written.</summary>
    private static int WritePart(HttpResponse response, byte[] header, ReadOnlySpan<byte> jpeg)
    {
        var headerLength = FormatPartHeader(header, jpeg.Length);
        var total = headerLength + jpeg.Length + 2;
        var writer = response.BodyWriter;
        var span = writer.GetSpan(total);
        header.AsSpan(0, headerLength).CopyTo(span);
        jpeg.CopyTo(span[headerLength..]);
        span[headerLength + jpeg.Length] = (byte)'\r';
        span[headerLength + jpeg.Length + 1] = (byte)'\n';
        writer.Advance(total);
        return total;
    }

    /// <summary>Formats a part's delimiter and headers without allocating.</summary>
    internal static int FormatPartHeader(Span<byte> destination, int contentLength)
    {
        var written = 0;
        Append(destination, ref written, "--"u8);
        Append(destination, ref written, BoundaryBytes);
        Append(destination, ref written, "\r\nContent-Type: image/jpeg\r\nContent-Length: "u8);
        Utf8Formatter.TryFormat(contentLength, destination[written..], out var digits);
        written += digits;
        Append(destination, ref written, "\r\n\r\n"u8);
        return written;
    }

    private static ReadOnlySpan<byte> BoundaryBytes => "camstreamd-frame"u8;

    private static void Append(Span<byte> destination, ref int written, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[written..]);
        written += bytes.Length;
    }
}
