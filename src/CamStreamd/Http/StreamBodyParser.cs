using System.Globalization;
using System.Text.Json;
using CamStreamd.Configuration;

namespace CamStreamd.Http;

/// <summary>
/// Reads the streams an API body adds exactly as the config file's <c>streams</c> are read: the body
/// is placed into a config document after the running streams, and that whole document goes through
/// <see cref="ConfigLoader"/> and <see cref="ConfigValidator"/>. So types, unknown keys, ranges and
/// name uniqueness are checked by the same code, and each error's key is made relative to the body:
/// <c>source.width</c> for the one stream of <c>POST /api/streams</c> (<see cref="ParseStream"/>),
/// <c>[1].source.width</c> for the array of <c>POST /api/config/streams</c> (<see cref="ParseStreams"/>).
/// </summary>
internal static class StreamBodyParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>The one stream (a JSON object) in <paramref name="utf8Json"/>, or null and the offending fields.</summary>
    public static (StreamOptions? Stream, IReadOnlyList<ProblemField> Errors) ParseStream(byte[] utf8Json, CamStreamdOptions daemon, IReadOnlyList<StreamOptions> running)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        if (CheckSyntax(utf8Json, kind => kind == JsonValueKind.Object, kind => $"must be a JSON object (got {kind.ToString().ToLowerInvariant()})") is { } problem)
        {
            return (null, [problem]);
        }

        var (streams, errors) = Load([.. "{\"streams\":["u8, .. utf8Json, .. "]}"u8], daemon, running);
        return streams is not null
            ? (streams[0], [])
            : (null, [.. errors.Select(e => e with { Field = e.Field == "[0]" ? "(body)" : e.Field.StartsWith("[0].", StringComparison.Ordinal) ? e.Field["[0].".Length..] : e.Field })]);
    }

    /// <summary>The streams (a non-empty JSON array) in <paramref name="utf8Json"/>, or null and every offending field.</summary>
    public static (IReadOnlyList<StreamOptions>? Streams, IReadOnlyList<ProblemField> Errors) ParseStreams(byte[] utf8Json, CamStreamdOptions daemon, IReadOnlyList<StreamOptions> running)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        if (CheckSyntax(utf8Json, kind => kind == JsonValueKind.Array, _ => "must be a non-empty JSON array of streams", requireItems: true) is { } problem)
        {
            return (null, [problem]);
        }

        return Load([.. "{\"streams\":"u8, .. utf8Json, .. "}"u8], daemon, running);
    }

    /// <summary>One JSON value of the wanted kind, checked on its own first: then wrapping it cannot change its meaning.</summary>
    private static ProblemField? CheckSyntax(byte[] utf8Json, Func<JsonValueKind, bool> wanted, Func<JsonValueKind, string> otherwise, bool requireItems = false)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            var root = document.RootElement;
            return !wanted(root.ValueKind) || (requireItems && root.GetArrayLength() == 0) ? new ProblemField("(body)", otherwise(root.ValueKind)) : null;
        }
        catch (JsonException e)
        {
            return new ProblemField("(body)", JsonErrorTranslator.TranslateSyntax(e, "body"));
        }
    }

    /// <summary>
    /// The new streams of <paramref name="config"/> (a document of just <c>streams</c>) parsed, then
    /// validated after <paramref name="running"/>; or null and the errors about the new streams,
    /// keyed <c>[i].path</c> by their place in the body.
    /// </summary>
    private static (IReadOnlyList<StreamOptions>? Streams, IReadOnlyList<ProblemField> Errors) Load(byte[] config, CamStreamdOptions daemon, IReadOnlyList<StreamOptions> running)
    {
        ArgumentNullException.ThrowIfNull(daemon);
        ArgumentNullException.ThrowIfNull(running);
        IReadOnlyList<StreamOptions> streams;
        try
        {
            streams = ConfigLoader.Parse(config, "body").Options.Streams;
        }
        catch (ConfigException e)
        {
            return (null, [.. e.Errors.Select(error => Relative(error, 0))]);
        }

        // Then the whole configuration as it would be with the streams added: name uniqueness and
        // anything that depends on the other sections. Errors about the running streams are not the body's.
        var errors = ConfigValidator.Validate(daemon with { Streams = [.. running, .. streams] });
        var mine = errors.Select(e => (Error: e, Index: IndexOf(e))).Where(e => e.Index >= running.Count).ToList();
        return mine.Count == 0 ? (streams, []) : (null, [.. mine.Select(e => Relative(e.Error, running.Count))]);
    }

    /// <summary><c>streams[3].name: …</c> with <paramref name="offset"/> 2 becomes the field <c>[1].name</c>.</summary>
    private static ProblemField Relative(string error, int offset)
    {
        var index = IndexOf(error);
        if (index < 0)
        {
            return Problems.ToField(error, "streams");
        }

        var close = error.IndexOf(']', StringComparison.Ordinal);
        var field = Problems.ToField(error[(close + 1)..].TrimStart('.'), string.Empty);
        var path = field.Field.Length == 0 || field.Field == "(body)" ? string.Empty : "." + field.Field;
        return new ProblemField(string.Create(CultureInfo.InvariantCulture, $"[{index - offset}]{path}"), field.Message);
    }

    private static int IndexOf(string error)
    {
        const string Prefix = "streams[";
        if (!error.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return -1;
        }

        var close = error.IndexOf(']', StringComparison.Ordinal);
        return close > Prefix.Length && int.TryParse(error.AsSpan(Prefix.Length, close - Prefix.Length), out var i) ? i : -1;
    }
}
