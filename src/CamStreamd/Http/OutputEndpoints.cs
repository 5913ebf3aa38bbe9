using System.Text.Json;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Media.H264;
using CamStreamd.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// Recordings (list, download with Range, delete), the latest keyframe as Annex-B, and adding
/// several streams at once (<c>POST /api/config/streams</c>: validated together, all or none).
/// </summary>
internal sealed class OutputEndpoints
{
    /// <summary>Longest wait for a keyframe when the stream has none cached.</summary>
    public static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Largest batch body.</summary>
    public const int MaxBatchBytes = 1024 * 1024;

    private readonly CamStreamdOptions _options;
    private readonly StreamSupervisor _supervisor;
    private readonly ApiTokenCheck _token;
    private readonly ILogger _logger;

    /// <summary>Creates the endpoints.</summary>
    public OutputEndpoints(CamStreamdOptions options, StreamSupervisor supervisor, ILogger logger)
    {
        _options = options;
        _supervisor = supervisor;
        _token = new ApiTokenCheck(options.Http.ApiToken);
        _logger = logger;
    }

    /// <summary>Maps the routes.</summary>
    public void Map(WebApplication app)
    {
        app.MapGet("/api/streams/{name}/recordings", ListAsync);
        app.MapGet("/recordings/{name}/{file}", DownloadAsync);
        app.MapDelete("/recordings/{name}/{file}", DeleteAsync);
        app.MapDelete("/api/streams/{name}/recordings/{file}", DeleteAsync);
        app.MapGet("/api/streams/{name}/frame", FrameAsync);
        app.MapPost("/api/config/streams", AddStreamsAsync);
    }

    private Task ListAsync(HttpContext context)
    {
        if (Recorded(context) is not { } stream)
        {
            return NotRecordedAsync(context);
        }

        var recorder = stream.Outputs.Recorder!;
        var escaped = Uri.EscapeDataString(stream.Name);
        var segments = recorder.List().Select(s => new RecordingEntry(
            s.File, s.Start, Math.Round(s.Duration.TotalSeconds, 3), s.Size, $"/recordings/{escaped}/{Uri.EscapeDataString(s.File)}", s.Recording)).ToList();
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, new RecordingListResponse(stream.Name, recorder.Store.Directory, recorder.Counters.Paused, segments), OutputJsonContext.Default.RecordingListResponse, context.RequestAborted);
    }

    private Task DownloadAsync(HttpContext context)
    {
        if (Recorded(context) is not { } stream)
        {
            return NotRecordedAsync(context);
        }

        var file = (string)context.Request.RouteValues["file"]!;
        if (stream.Outputs.Recorder!.Store.Find(file) is not { } path)
        {
            return Problems.WriteAsync(context, StatusCodes.Status404NotFound, $"no segment \"{file}\"", new ProblemField("file", $"no segment \"{file}\""));
        }

        return TypedResults.PhysicalFile(path, "video/mp4", file, enableRangeProcessing: true).ExecuteAsync(context);
    }

    private async Task DeleteAsync(HttpContext context)
    {
        if (!await _token.AuthorizeAsync(context, _logger).ConfigureAwait(false))
        {
            return;
        }

        if (Recorded(context) is not { } stream)
        {
            await NotRecordedAsync(context).ConfigureAwait(false);
            return;
        }

        var recorder = stream.Outputs.Recorder!;
        var file = (string)context.Request.RouteValues["file"]!;
        var path = recorder.Store.Find(file);
        if (path is not null && path == recorder.CurrentPath)
        {
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, $"segment \"{file}\" is being recorded", new ProblemField("file", "the segment being recorded cannot be deleted")).ConfigureAwait(false);
            return;
        }

        if (path is null || !recorder.Store.Delete(file))
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, $"no segment \"{file}\"", new ProblemField("file", $"no segment \"{file}\"")).ConfigureAwait(false);
            return;
        }

        _logger.StreamChanged(stream.Name, $"segment {file} deleted");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// The latest keyframe, as the output contract gives it to any new subscriber: the first unit of
    /// a new subscription (the cached GOP's IDR, or the next one, which is asked for). SPS and PPS
    /// are put in front when the unit does not carry them.
    /// </summary>
    private async Task FrameAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        if (_supervisor.Find(name) is not { } stream)
        {
            await Problems.NoSuchStreamAsync(context, name).ConfigureAwait(false);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(FrameTimeout);
        byte[]? frame = null;
        try
        {
            using var subscription = stream.Hub.Subscribe(1);
            while (frame is null && await subscription.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                while (frame is null && subscription.TryRead(out var unit))
                {
                    frame = unit.IsKeyframe ? WithParameterSets(unit.AnnexB, stream.Hub.Description) : null;
                    unit.Release();
                }
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
        }

        if (frame is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"stream \"{stream.Name}\" had no keyframe within {FrameTimeout.TotalSeconds:0} s").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "video/h264";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = frame.Length;
        await context.Response.Body.WriteAsync(frame, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task AddStreamsAsync(HttpContext context)
    {
        if (!await _token.AuthorizeAsync(context, _logger).ConfigureAwait(false))
        {
            return;
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "the body must be a JSON array of streams (Content-Type: application/json)").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > MaxBatchBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBatchBytes} bytes").ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxBatchBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBatchBytes} bytes").ConfigureAwait(false);
            return;
        }

        var running = _supervisor.Streams.Select(s => s.Options).ToList();
        var (streams, errors) = StreamBodyParser.ParseStreams(buffer.ToArray(), _options, running);
        if (streams is null)
        {
            var detail = errors.Count == 1 ? errors[0].Message : $"{errors.Count} problems in the streams";
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, $"invalid streams, none added: {detail}", [.. errors]).ConfigureAwait(false);
            return;
        }

        if (await _supervisor.AddAllAsync(streams, context.RequestAborted).ConfigureAwait(false) is { } taken)
        {
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, $"a stream named \"{taken}\" already exists; none added", new ProblemField("name", $"duplicate stream name \"{taken}\"")).ConfigureAwait(false);
            return;
        }

        var changes = new List<ChangeResponse>();
        foreach (var stream in streams)
        {
            _logger.StreamChanged(stream.Name, "added");
            changes.Add(new ChangeResponse(stream.Name, "added", _supervisor.Find(stream.Name)?.State ?? StreamState.Stopped, Persisted: false, ApiEndpoints.RuntimeOnlyNote));
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, new BatchChangeResponse(changes, Persisted: false, ApiEndpoints.RuntimeOnlyNote), OutputJsonContext.Default.BatchChangeResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] WithParameterSets(ReadOnlySpan<byte> annexB, StreamDescription? description)
    {
        bool sps = false, pps = false;
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            sps |= AnnexBReader.NalType(nal) == NalUnitType.Sps;
            pps |= AnnexBReader.NalType(nal) == NalUnitType.Pps;
        }

        if ((sps && pps) || description is null)
        {
            return annexB.ToArray();
        }

        return [0, 0, 0, 1, .. description.Sps, 0, 0, 0, 1, .. description.Pps, .. annexB];
    }

    private StreamInstance? Recorded(HttpContext context) =>
        _supervisor.Find((string)context.Request.RouteValues["name"]!) is { Outputs.Recorder: not null } stream ? stream : null;

    private Task NotRecordedAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        return _supervisor.Find(name) is null
            ? Problems.NoSuchStreamAsync(context, name)
            : Problems.WriteAsync(context, StatusCodes.Status404NotFound, $"stream \"{name}\" is not recorded (no streams[].record)", new ProblemField("name", "not recorded"));
    }
}
