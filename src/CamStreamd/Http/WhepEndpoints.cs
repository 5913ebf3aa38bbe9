using CamStreamd.Configuration;
using CamStreamd.Streams;
using CamStreamd.WebRtc.Plane;
using CamStreamd.WebRtc.Sdp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CamStreamd.Http;

/// <summary>
/// WHEP (draft-ietf-wish-whep; RFC 9725 for the shared parts): <c>POST /streams/{name}/whep</c>
/// with an <c>application/sdp</c> offer → 201, the answer, <c>Location</c> of the session and its
/// <c>ETag</c>; <c>PATCH</c> of the session (trickle ICE: ICE-lite needs none, so it is accepted and
/// ignored) → 204; <c>DELETE</c> → 200 and the session ends; <c>OPTIONS</c> and CORS headers
/// (<c>webrtc.allowOrigins</c>) so a player page on another origin can call it.
/// </summary>
internal sealed class WhepEndpoints
{
    private const string SdpType = "application/sdp";
    private const string TrickleType = "application/trickle-ice-sdpfrag";

    private readonly StreamSupervisor _supervisor;
    private readonly WebRtcPlane? _plane;
    private readonly WebRtcOptions _options;

    /// <summary>Creates the endpoints; a null <paramref name="plane"/> means WebRTC is disabled (404 with the key).</summary>
    public WhepEndpoints(StreamSupervisor supervisor, WebRtcPlane? plane, WebRtcOptions options)
    {
        _supervisor = supervisor;
        _plane = plane;
        _options = options;
    }

    /// <summary>Maps the routes.</summary>
    public void Map(WebApplication app)
    {
        app.MapMethods("/streams/{name}/whep", ["OPTIONS"], OptionsAsync);
        app.MapPost("/streams/{name}/whep", PostAsync);
        app.MapMethods("/streams/{name}/whep/{session}", ["OPTIONS"], OptionsAsync);
        app.MapMethods("/streams/{name}/whep/{session}", ["PATCH"], PatchAsync);
        app.MapDelete("/streams/{name}/whep/{session}", DeleteAsync);
    }

    private Task OptionsAsync(HttpContext context)
    {
        Cors(context);
        context.Response.Headers["Accept-Post"] = SdpType;
        context.Response.Headers["Accept-Patch"] = TrickleType;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task PostAsync(HttpContext context)
    {
        Cors(context);
        var name = (string)context.Request.RouteValues["name"]!;
        if (_plane is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, "WebRTC is disabled (webrtc.enabled)").ConfigureAwait(false);
            return;
        }

        if (_supervisor.Find(name) is not { } stream)
        {
            await Problems.NoSuchStreamAsync(context, name).ConfigureAwait(false);
            return;
        }

        if (!IsType(context, SdpType))
        {
            context.Response.Headers["Accept-Post"] = SdpType;
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, $"a WHEP offer is {SdpType} (got {context.Request.ContentType ?? "no Content-Type"})").ConfigureAwait(false);
            return;
        }

        if (await ReadBodyAsync(context, SdpOfferParser.MaxLength).ConfigureAwait(false) is not { } offer)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"the offer is longer than {SdpOfferParser.MaxLength} bytes").ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress ?? System.Net.IPAddress.Loopback;
        var result = _plane.Offer(stream.Hub, offer, remote);
        switch (result.Status)
        {
            case WhepOfferStatus.Created:
                var session = result.Session!;
                var body = System.Text.Encoding.UTF8.GetBytes(result.Answer!);
                context.Response.StatusCode = StatusCodes.Status201Created;
                context.Response.ContentType = SdpType;
                context.Response.Headers.Location = $"/streams/{Uri.EscapeDataString(name)}/whep/{session.Id}";
                context.Response.Headers.ETag = $"\"{session.Id}\"";
                context.Response.Headers["Accept-Patch"] = TrickleType;
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
                return;
            case WhepOfferStatus.BadOffer:
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, result.Reason!).ConfigureAwait(false);
                return;
            default:
                context.Response.Headers.RetryAfter = result.Status == WhepOfferStatus.NoPicture ? "1" : "5";
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, result.Reason!).ConfigureAwait(false);
                return;
        }
    }

    private async Task PatchAsync(HttpContext context)
    {
        Cors(context);
        if (Session(context) is not { } session)
        {
            await NoSuchSessionAsync(context).ConfigureAwait(false);
            return;
        }

        if (!IsType(context, TrickleType))
        {
            context.Response.Headers["Accept-Patch"] = TrickleType;
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, $"a WHEP PATCH is {TrickleType} (got {context.Request.ContentType ?? "no Content-Type"})").ConfigureAwait(false);
            return;
        }

        // ICE-lite: our candidates are all in the answer and the browser's are learned from its checks, so a trickled fragment changes nothing.
        _ = await ReadBodyAsync(context, SdpOfferParser.MaxLength).ConfigureAwait(false);
        context.Response.Headers.ETag = $"\"{session.Id}\"";
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task DeleteAsync(HttpContext context)
    {
        Cors(context);
        if (Session(context) is not { } session)
        {
            return NoSuchSessionAsync(context);
        }

        session.Close("DELETE by the client");
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    private WebRtcSession? Session(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        var id = (string)context.Request.RouteValues["session"]!;
        return _plane?.Find(id) is { } session && session.StreamName == name ? session : null;
    }

    private static Task NoSuchSessionAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["session"]!;
        return Problems.WriteAsync(context, StatusCodes.Status404NotFound, $"no WebRTC session \"{id}\" on this stream (ended, or never existed)", new ProblemField("session", id));
    }

    private static bool IsType(HttpContext context, string mediaType)
    {
        var type = context.Request.ContentType;
        if (type is null)
        {
            return false;
        }

        var semicolon = type.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? type : type[..semicolon]).Trim().Equals(mediaType, StringComparison.OrdinalIgnoreCase);
    }

    // The body as UTF-8 text, or null when longer than maxLength.
    private static async Task<string?> ReadBodyAsync(HttpContext context, int maxLength)
    {
        if (context.Request.ContentLength > maxLength)
        {
            return null;
        }

        var buffer = new byte[maxLength + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return length > maxLength ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, length);
    }

    // CORS (Fetch standard): the allowed origin echoed (or *), and what a cross-origin player needs to read and send.
    private void Cors(HttpContext context)
    {
        var headers = context.Response.Headers;
        var origin = context.Request.Headers.Origin.ToString();
        if (_options.AllowOrigins.Contains("*"))
        {
            headers.AccessControlAllowOrigin = "*";
        }
        else if (origin.Length > 0 && _options.AllowOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
        }
        else
        {
            return;
        }

        headers.AccessControlAllowMethods = "POST, PATCH, DELETE, OPTIONS";
        headers.AccessControlAllowHeaders = "Content-Type, Authorization, If-Match";
        headers.AccessControlExposeHeaders = "Location, ETag, Accept-Patch, Accept-Post, Link";
        headers.AccessControlMaxAge = "86400";
    }
}
