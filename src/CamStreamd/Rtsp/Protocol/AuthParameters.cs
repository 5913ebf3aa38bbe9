using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// The comma-separated <c>auth-param</c> list of a Digest credential or challenge
/// (RFC 7235 §2.1, RFC 7616 §3.4): <c>name=token</c> or <c>name="quoted \"string\""</c>.
/// Names compare case-insensitively; a repeated name keeps its first value.
/// </summary>
public static class AuthParameters
{
    /// <summary>Most parameters accepted in one header (a Digest response has about ten).</summary>
    public const int MaxParameters = 32;

    /// <summary>
    /// Parses <paramref name="text"/> into name/value pairs with quotes and backslash escapes
    /// removed. False when the list is malformed (unterminated quote, missing <c>=</c>, too many).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        var value = new StringBuilder();
        while (true)
        {
            // Skip separators: optional whitespace and empty list elements (RFC 7230 §7 "#rule").
            while (i < text.Length && (text[i] is ' ' or '\t' or ','))
            {
                i++;
            }

            if (i == text.Length)
            {
                return true;
            }

            var nameStart = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return false;
            }

            var name = text[nameStart..i].ToString();
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            if (i == text.Length || text[i] != '=')
            {
                return false;
            }

            i++;
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            value.Clear();
            if (i < text.Length && text[i] == '"')
            {
                // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; quoted-pair = "\" char.
                i++;
                var closed = false;
                while (i < text.Length)
                {
                    var c = text[i++];
                    if (c == '"')
                    {
                        closed = true;
                        break;
                    }

                    if (c == '\\')
                    {
                        if (i == text.Length)
                        {
                            return false;
                        }

                        c = text[i++];
                    }

                    value.Append(c);
                }

                if (!closed)
                {
                    return false;
                }
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && IsTokenChar(text[i]))
                {
                    i++;
                }

                value.Append(text[valueStart..i]);
            }

            if (parameters.Count >= MaxParameters)
            {
                return false;
            }

            parameters.TryAdd(name, value.ToString());
            while (i < text.Length && text[i] is ' ' or '\t')
            {
                i++;
            }

            if (i < text.Length && text[i] != ',')
            {
                return false;
            }
        }
    }

    /// <summary>Appends <paramref name="value"/> as a quoted-string, escaping <c>"</c> and <c>\</c>.</summary>
    public static void AppendQuoted(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }

    // token = 1*tchar (RFC 7230 §3.2.6).
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';
}
