using System.Text.Json;
using CamStreamd.Configuration;

namespace CamStreamd.Http;

/// <summary>
/// Reads the body of <c>POST /api/streams</c> exactly as the config file's <c>streams[i]</c> is
/// read: the body is placed into a config document as the last stream after the running ones,
/// and that whole document goes through <see cref="ConfigLoader"/> and <see cref="ConfigValidator"/>.
/// So types, unknown keys, ranges and name uniqueness are checked by the same code, and each error's
/// key path is made relative to the body (<c>source.width</c>, <c>name</c>).
/// </summary>
internal static class StreamRequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>The stream in <paramref name="utf8Json"/>, or null and the offending fields.</summary>
    public static (StreamOptions? Stream, IReadOnlyList<ProblemField> Errors) Parse(byte[] utf8Json, CamStreamdOptions daemon, IReadOnlyList<StreamOptions> running)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(daemon);
        ArgumentNullException.ThrowIfNull(running);

        // One JSON value, checked on its own first: then wrapping it cannot change its meaning.
        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, [new ProblemField("(body)", $"must be a JSON object (got {document.RootElement.ValueKind.ToString().ToLowerInvariant()})")]);
            }
        }
        catch (JsonException e)
        {
            return (null, [new ProblemField("(body)", JsonErrorTranslator.TranslateSyntax(e, "body"))]);
        }

        // Only the new stream is parsed from the wrapper; ConfigLoader checks its types and keys.
        var wrapped = new byte[utf8Json.Length + 16];
        var prefix = "{\"streams\":["u8;
        prefix.CopyTo(wrapped);
        utf8Json.CopyTo(wrapped.AsSpan(prefix.Length));
        "]}"u8.CopyTo(wrapped.AsSpan(prefix.Length + utf8Json.Length));
        var length = prefix.Length + utf8Json.Length + 2;
        StreamOptions stream;
        try
        {
            stream = ConfigLoader.Parse(wrapped.AsMemory(0, length), "body").Options.Streams[0];
        }
        catch (ConfigException e)
        {
            return (null, [.. e.Errors.Select(error => Problems.ToField(error, "streams[0]."))]);
        }

        // Then the whole configuration as it would be with the stream added: name uniqueness and
        // anything that depends on the other sections.
        var index = running.Count;
        var errors = ConfigValidator.Validate(daemon with { Streams = [.. running, stream] });
        var key = $"streams[{index}]";
        var mine = errors.Where(e => e.StartsWith(key + ".", StringComparison.Ordinal) || e.StartsWith(key + ":", StringComparison.Ordinal)).ToList();
        return mine.Count == 0 ? (stream, []) : (null, [.. mine.Select(error => Problems.ToField(error, key + "."))]);
    }
}
