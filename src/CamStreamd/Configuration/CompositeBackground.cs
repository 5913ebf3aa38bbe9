using System.Globalization;

namespace CamStreamd.Configuration;

/// <summary>Parses <c>background</c>: a colour name or <c>#RRGGBB</c>, as 8-bit sRGB.</summary>
public static class CompositeBackground
{
    private static readonly Dictionary<string, (byte R, byte G, byte B)> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["black"] = (0, 0, 0),
        ["white"] = (255, 255, 255),
        ["gray"] = (128, 128, 128),
        ["grey"] = (128, 128, 128),
        ["red"] = (255, 0, 0),
        ["green"] = (0, 255, 0),
        ["blue"] = (0, 0, 255),
    };

    /// <summary>The names accepted besides <c>#RRGGBB</c>.</summary>
    public static IEnumerable<string> ColourNames => Names.Keys;

    /// <summary>Parses <paramref name="value"/>; false when it is neither a known name nor <c>#RRGGBB</c>.</summary>
    public static bool TryParse(string? value, out (byte R, byte G, byte B) rgb)
    {
        rgb = default;
        if (value is null)
        {
            return false;
        }

        if (Names.TryGetValue(value, out rgb))
        {
            return true;
        }

        if (value.Length == 7 && value[0] == '#'
            && int.TryParse(value.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            rgb = ((byte)(hex >> 16), (byte)(hex >> 8), (byte)hex);
            return true;
        }

        return false;
    }
}
