using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CamStreamd.Http;

/// <summary>Writes RFC 9457 <c>application/problem+json</c> error responses.</summary>
internal static class Problems
{
    /// <summary>The media type of a problem document.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Writes a problem with <paramref name="status"/>, <paramref name="detail"/> and the offending <paramref name="fields"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail, params ProblemField[] fields)
    {
        var problem = new ProblemResponse("about:blank", ReasonPhrases.GetReasonPhrase(status), status, detail, fields);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, HttpJsonContext.Default.ProblemResponse, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>404 naming the stream.</summary>
    public static Task NoSuchStreamAsync(HttpContext context, string name) =>
        WriteAsync(context, StatusCodes.Status404NotFound, $"no stream named \"{name}\"", new ProblemField("name", $"no stream named \"{name}\""));

    /// <summary>
    /// Splits a validation error (<c>key.path: message</c>) into a field; <paramref name="prefix"/>
    /// (such as <c>streams[2].</c>) is removed from the key so it is relative to the request body.
    /// </summary>
    public static ProblemField ToField(string error, string prefix)
    {
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return new ProblemField("(body)", error);
        }

        var key = error[..colon];
        if (key.StartsWith(prefix, StringComparison.Ordinal))
        {
            key = key[prefix.Length..];
        }
        else if (key == prefix.TrimEnd('.'))
        {
            key = "(body)";
        }

        return new ProblemField(key, error[(colon + 2)..]);
    }
}
