using System.Text.Json;
using CamStreamd.Configuration;

namespace CamStreamd.Http;

/// <summary>
/// Reads the body of <c>POST /api/config/streams</c>: a JSON array of <c>streams[i]</c> objects,
/// read exactly as the config file's <c>streams</c> (same types, unknown keys, ranges) and then
/// validated together with the running streams (names unique across all). Error keys are relative
/// to the body: <c>[1].source.width</c>.
/// </summary>
internal static class StreamBatchParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>The streams in <paramref name="utf8Json"/>, or null and every offending field.</summary>
    public static (IReadOnlyList<StreamOptions>? Streams, IReadOnlyList<ProblemField> Errors) Parse(byte[] utf8Json, CamStreamdOptions daemon, IReadOnlyList<StreamOptions> running)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json, DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Array || document.RootElement.GetArrayLength() == 0)
            {
                return (null, [new ProblemField("(body)", "must be a non-empty JSON array of streams")]);
            }
        }
        catch (JsonException e)
        {
            return (null, [new ProblemField("(body)", JsonErrorTranslator.TranslateSyntax(e, "body"))]);
        }

        byte[] wrapped = [.. "{\"streams\":"u8, .. utf8Json, .. "}"u8];
        IReadOnlyList<StreamOptions> streams;
        try
        {
            streams = ConfigLoader.Parse(wrapped, "body").Options.Streams;
        }
        catch (ConfigException e)
        {
            return (null, [.. e.Errors.Select(error => Relative(error, 0))]);
        }

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
        return new ProblemField(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{index - offset}]{path}"), field.Message);
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
