using System.Globalization;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>The Session header (RFC 2326 §12.37): <c>session-id [ ";" "timeout" "=" delta-seconds ]</c>.</summary>
/// <param name="Id">The opaque session identifier.</param>
/// <param name="TimeoutSeconds">The timeout parameter, or null when absent.</param>
public readonly record struct SessionHeader(string Id, int? TimeoutSeconds)
{
    /// <summary>Parses a Session header value; false when the id is empty or has invalid characters.</summary>
    public static bool TryParse(string value, out SessionHeader header)
    {
        header = default;
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        var id = parts[0];

        // session-id = 1*( ALPHA | DIGIT | safe ), safe = "$" | "-" | "_" | "." | "+"
        if (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '-' or '_' or '.' or '+'))
        {
            return false;
        }

        int? timeout = null;
        foreach (var part in parts.AsSpan(1))
        {
            if (part.StartsWith("timeout=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(part.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                timeout = seconds;
            }
        }

        header = new SessionHeader(id, timeout);
        return true;
    }

    /// <summary>The header value as a server sends it.</summary>
    public override string ToString() =>
        TimeoutSeconds is { } t ? string.Create(CultureInfo.InvariantCulture, $"{Id};timeout={t}") : Id;
}
