using System.Text.Json;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// The REST API under <c>/api</c>: health, list, get, add, remove, start and stop streams.
/// Changes apply at once and are runtime-only (the config file is never written: it may be a
/// read-only conffile, and a daemon rewriting it would lose the user's comments and layout), so a
/// restart or reload returns to the file; every change response says so (<c>persisted: false</c>).
/// </summary>
internal sealed class ApiEndpoints
{
    /// <summary>Largest request body accepted (one stream's JSON).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>What every change response says about persistence.</summary>
    public const string RuntimeOnlyNote = "applied now, runtime only: not written to the config file, so a restart or reload returns to the file";

    private readonly CamStreamdOptions _options;
    private readonly StreamSupervisor _supervisor;
    private readonly StreamInfoBuilder _info;
    private readonly ApiTokenCheck _token;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _startedAt;
    private readonly ILogger _logger;

    /// <summary>Creates the endpoints.</summary>
    public ApiEndpoints(CamStreamdOptions options, StreamSupervisor supervisor, StreamInfoBuilder info, TimeProvider time, ILogger logger)
    {
        _options = options;
        _supervisor = supervisor;
        _info = info;
        _token = new ApiTokenCheck(options.Http.ApiToken);
        _time = time;
        _startedAt = time.GetUtcNow();
        _logger = logger;
    }

    /// <summary><c>GET /api/health</c>: 200, or 503 when a stream has failed.</summary>
    public Task HealthAsync(HttpContext context)
    {
        var streams = _supervisor.Streams.Select(s => new HealthEntry(s.Name, s.State)).ToList();
        var failed = streams.Any(s => s.State == StreamState.Failed);
        var uptime = Math.Round((_time.GetUtcNow() - _startedAt).TotalSeconds, 3);
        context.Response.StatusCode = failed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return WriteJsonAsync(context, new HealthResponse(failed ? "failed" : "ok", BuildInfo.Version, uptime, streams), HttpJsonContext.Default.HealthResponse);
    }

    /// <summary><c>GET /api/streams</c>.</summary>
    public Task ListAsync(HttpContext context)
    {
        var host = context.Request.Host.Host;
        var list = new StreamListResponse([.. _supervisor.Streams.Select(s => _info.Build(s, host))]);
        return WriteJsonAsync(context, list, HttpJsonContext.Default.StreamListResponse);
    }

    /// <summary><c>GET /api/streams/{name}</c>.</summary>
    public Task GetAsync(HttpContext context)
    {
        var name = RouteName(context);
        return _supervisor.Find(name) is { } stream
            ? WriteJsonAsync(context, _info.Build(stream, context.Request.Host.Host), HttpJsonContext.Default.StreamInfo)
            : Problems.NoSuchStreamAsync(context, name);
    }

    /// <summary><c>POST /api/streams</c>: a stream in the config file's JSON shape; 201 with the change.</summary>
    public async Task AddAsync(HttpContext context)
    {
        if (!await _token.AuthorizeAsync(context, _logger).ConfigureAwait(false))
        {
            return;
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var (stream, errors) = StreamBodyParser.ParseStream(body, _options, [.. _supervisor.Streams.Select(s => s.Options)]);
        if (stream is null)
        {
            var detail = errors.Count == 1 ? errors[0].Message : $"{errors.Count} problems in the stream";
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, $"invalid stream: {detail}", [.. errors]).ConfigureAwait(false);
            return;
        }

        if (!await _supervisor.AddAsync(stream, context.RequestAborted).ConfigureAwait(false))
        {
            await Problems.WriteAsync(
                context,
                StatusCodes.Status409Conflict,
                $"a stream named \"{stream.Name}\" already exists",
                new ProblemField("name", $"duplicate stream name \"{stream.Name}\"")).ConfigureAwait(false);
            return;
        }

        _logger.StreamChanged(stream.Name, "added");
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"/api/streams/{Uri.EscapeDataString(stream.Name)}";
        await WriteChangeAsync(context, stream.Name, "added").ConfigureAwait(false);
    }

    /// <summary><c>DELETE /api/streams/{name}</c>: stops the stream, ends its viewers and forgets it.</summary>
    public Task RemoveAsync(HttpContext context) => ChangeAsync(context, "removed", _supervisor.RemoveAsync);

    /// <summary><c>POST /api/streams/{name}/start</c>.</summary>
    public Task StartAsync(HttpContext context) => ChangeAsync(context, "started", _supervisor.StartStreamAsync);

    /// <summary><c>POST /api/streams/{name}/stop</c>: the viewers stay connected and receive nothing until started.</summary>
    public Task StopAsync(HttpContext context) => ChangeAsync(context, "stopped", _supervisor.StopStreamAsync);

    private async Task ChangeAsync(HttpContext context, string action, Func<string, CancellationToken, Task<bool>> change)
    {
        if (!await _token.AuthorizeAsync(context, _logger).ConfigureAwait(false))
        {
            return;
        }

        var name = RouteName(context);
        var canonical = _supervisor.Find(name)?.Name ?? name;
        if (!await change(name, context.RequestAborted).ConfigureAwait(false))
        {
            await Problems.NoSuchStreamAsync(context, name).ConfigureAwait(false);
            return;
        }

        _logger.StreamChanged(canonical, action);
        await WriteChangeAsync(context, canonical, action).ConfigureAwait(false);
    }

    private Task WriteChangeAsync(HttpContext context, string name, string action)
    {
        var state = _supervisor.Find(name)?.State ?? StreamState.Stopped;
        return WriteJsonAsync(context, new ChangeResponse(name, action, state, Persisted: false, RuntimeOnlyNote), HttpJsonContext.Default.ChangeResponse);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var type = request.ContentType;
        if (type is null || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(
                context,
                StatusCodes.Status415UnsupportedMediaType,
                "the body must be a stream as JSON (Content-Type: application/json)",
                new ProblemField("Content-Type", $"must be application/json (got {(type is null ? "none" : $"\"{type}\"")})")).ConfigureAwait(false);
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes").ConfigureAwait(false);
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string RouteName(HttpContext context) => (string)context.Request.RouteValues["name"]!;

    private static async Task WriteJsonAsync<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }
}
