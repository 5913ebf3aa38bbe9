using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CamStreamd.Configuration;

/// <summary>
/// Turns a <see cref="JsonException"/> from the source-generated deserializer into a one-line error
/// that names the key path. The exception's <see cref="JsonException.Path"/> (<c>$.streams[1].encoder.bitrate</c>,
/// <c>$['odd key']</c>) locates the key; the config's own type metadata says what was expected there, and
/// the parsed document says what was found.
/// </summary>
internal static class JsonErrorTranslator
{
    private const string UnmappedPrefix = "The JSON property '";
    private const string DuplicatePrefix = "Duplicate property '";
    private const int MaxShownValueLength = 40;

    /// <summary>One-line error for <paramref name="exception"/>; <paramref name="root"/> is the same JSON, parsed.</summary>
    public static string Translate(JsonException exception, JsonElement root)
    {
        var segments = ParsePath(exception.Path);
        var key = FormatKey(segments);
        var message = exception.Message;

        if (message.StartsWith(UnmappedPrefix, StringComparison.Ordinal))
        {
            // Path ends with the unknown property itself: $.rtsp.porrt.
            var parent = segments.Count > 0 ? ResolveType(segments.Take(segments.Count - 1)) : null;
            var known = parent is { Kind: JsonTypeInfoKind.Object }
                ? " (known keys: " + string.Join(", ", parent.Properties.Select(p => p.Name)) + ")"
                : "";
            return $"{key}: unknown key{known}";
        }

        if (message.StartsWith(DuplicatePrefix, StringComparison.Ordinal))
        {
            return $"{key}: duplicate key";
        }

        var expected = ResolveType(segments);
        if (expected is not null)
        {
            var found = Find(root, segments);
            var got = found is { } element ? $" (got {Describe(element)})" : "";
            return $"{key}: must be {DescribeExpected(expected, found)}{got}";
        }

        return $"{key}: {StripPosition(message)}";
    }

    /// <summary>Error for JSON that does not parse at all, with 1-based line and column.</summary>
    public static string TranslateSyntax(JsonException exception, string source)
    {
        var line = (exception.LineNumber ?? 0) + 1;
        var column = (exception.BytePositionInLine ?? 0) + 1;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{source}: invalid JSON at line {line}, column {column}: {StripPosition(exception.Message)}");
    }

    /// <summary>Key path as users write it: <c>streams[0].encoder.bitrate</c>; <c>(root)</c> for the document.</summary>
    public static string FormatKey(IReadOnlyList<PathSegment> segments)
    {
        if (segments.Count == 0)
        {
            return "(root)";
        }

        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(name);
            }
            else
            {
                text.Append('[').Append(segment.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
        }

        return text.ToString();
    }

    /// <summary>Parses an STJ path: <c>$</c>, <c>.name</c>, <c>['name']</c>, <c>[3]</c>.</summary>
    public static IReadOnlyList<PathSegment> ParsePath(string? path)
    {
        var segments = new List<PathSegment>();
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return segments;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new PathSegment(path[(i + 1)..end], -1));
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(new PathSegment(path[(i + 2)..end], -1));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                _ = int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index);
                segments.Add(new PathSegment(null, index));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    private static JsonTypeInfo? ResolveType(IEnumerable<PathSegment> segments)
    {
        JsonTypeInfo? info = CamStreamdJsonContext.Default.CamStreamdOptions;
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                var property = info?.Kind == JsonTypeInfoKind.Object
                    ? info.Properties.FirstOrDefault(p => p.Name == name)
                    : null;
                info = property is null ? null : CamStreamdJsonContext.Default.GetTypeInfo(property.PropertyType);
            }
            else
            {
                info = info?.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element
                    ? CamStreamdJsonContext.Default.GetTypeInfo(element)
                    : null;
            }

            if (info is null)
            {
                return null;
            }
        }

        return info;
    }

    private static JsonElement? Find(JsonElement root, IReadOnlyList<PathSegment> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            if (segment.Name is { } name)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return null;
                }
            }
            else if (current.ValueKind != JsonValueKind.Array || segment.Index >= current.GetArrayLength())
            {
                return null;
            }
            else
            {
                current = current[segment.Index];
            }
        }

        return current;
    }

    private static string DescribeExpected(JsonTypeInfo info, JsonElement? found)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => "an object",
            JsonTypeInfoKind.Enumerable => "an array",
            _ when type == typeof(int) && found?.ValueKind == JsonValueKind.Number =>
                "a whole number from -2147483648 to 2147483647",
            _ when type == typeof(int) => "an integer",
            _ when type == typeof(double) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(string) => "a string",
            _ => "a " + type.Name,
        };
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "\"" + Shorten(element.GetString() ?? "") + "\"",
        JsonValueKind.Null => "null",
        _ => Shorten(element.GetRawText()),
    };

    private static string Shorten(string text) =>
        text.Length <= MaxShownValueLength ? text : string.Concat(text.AsSpan(0, MaxShownValueLength), "...");

    private static string StripPosition(string message)
    {
        // STJ appends " Path: $ | LineNumber: 0 | BytePositionInLine: 1." (or just the position); the caller says where.
        foreach (var marker in (string[])[" Path: ", " LineNumber: "])
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        return message;
    }

    /// <summary>One step of a key path: a property <see cref="Name"/>, or an array <see cref="Index"/> when the name is null.</summary>
    internal readonly record struct PathSegment(string? Name, int Index);
}
