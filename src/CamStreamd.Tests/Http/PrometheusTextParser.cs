using System.Globalization;
using System.Text;

namespace CamStreamd.Tests.Http;

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4 (prometheus.io, "Exposition
/// formats"): <c># HELP</c>/<c># TYPE</c> lines, samples <c>name{label="value",...} value [timestamp]</c>,
/// names <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>, label names <c>[a-zA-Z_][a-zA-Z0-9_]*</c> (not <c>__</c>-prefixed),
/// label values escaped with <c>\\</c>, <c>\"</c>, <c>\n</c> only, Go float values (<c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>).
/// It also enforces: one TYPE per family and before its samples, each family's samples in one
/// group, no duplicate series, a final line feed. Every violation throws naming the line.
/// </summary>
internal static class PrometheusTextParser
{
    private static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    /// <summary>One sample.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Parsed exposition: families by name (their type) and every sample in order.</summary>
    public sealed record Exposition(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
    {
        /// <summary>The value of the series <paramref name="name"/> with exactly these labels.</summary>
        public double Value(string name, params (string Name, string Value)[] labels) =>
            Samples.Single(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).Value;
    }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> on the first violation.</summary>
    public static Exposition Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var series = new HashSet<string>(StringComparer.Ordinal);
        var closedFamilies = new HashSet<string>(StringComparer.Ordinal);
        string? currentFamily = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    RequireName(name, number);
                    if (parts[1] == "TYPE")
                    {
                        var type = parts.Length == 4 ? parts[3] : throw new FormatException($"line {number}: TYPE without a type");
                        if (!Types.Contains(type))
                        {
                            throw new FormatException($"line {number}: unknown type \"{type}\"");
                        }

                        if (!types.TryAdd(name, type))
                        {
                            throw new FormatException($"line {number}: second TYPE line for {name}");
                        }

                        if (samples.Any(s => FamilyOf(s.Name, types) == name))
                        {
                            throw new FormatException($"line {number}: TYPE for {name} after its samples");
                        }
                    }
                    else
                    {
                        if (!helps.Add(name))
                        {
                            throw new FormatException($"line {number}: second HELP line for {name}");
                        }

                        CheckHelpEscapes(parts.Length == 4 ? parts[3] : "", number);
                    }
                }

                continue;
            }

            var sample = ParseSample(line, number);
            var family = FamilyOf(sample.Name, types);
            if (family != currentFamily)
            {
                if (currentFamily is not null)
                {
                    closedFamilies.Add(currentFamily);
                }

                if (closedFamilies.Contains(family))
                {
                    throw new FormatException($"line {number}: samples of {family} are not in one group");
                }

                currentFamily = family;
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!series.Add(key))
            {
                throw new FormatException($"line {number}: duplicate series {key}");
            }

            if (types.TryGetValue(family, out var familyType) && familyType == "counter" && (sample.Value < 0 || double.IsNaN(sample.Value)))
            {
                throw new FormatException($"line {number}: counter {sample.Name} has value {sample.Value}");
            }

            samples.Add(sample);
        }

        return new Exposition(types, samples);
    }

    private static string FamilyOf(string sampleName, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sampleName))
        {
            return sampleName;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && types.ContainsKey(sampleName[..^suffix.Length]))
            {
                return sampleName[..^suffix.Length];
            }
        }

        return sampleName;
    }

    private static Sample ParseSample(string line, int number)
    {
        var at = 0;
        while (at < line.Length && line[at] is not ('{' or ' '))
        {
            at++;
        }

        var name = line[..at];
        RequireName(name, number);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (at < line.Length && line[at] == '{')
        {
            at++;
            while (line[at] != '}')
            {
                var start = at;
                while (at < line.Length && line[at] != '=')
                {
                    at++;
                }

                var label = line[start..at];
                if (label.Length == 0 || !(char.IsAsciiLetter(label[0]) || label[0] == '_') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || label.StartsWith("__", StringComparison.Ordinal))
                {
                    throw new FormatException($"line {number}: bad label name \"{label}\"");
                }

                if (line[++at] != '"')
                {
                    throw new FormatException($"line {number}: label value of {label} not quoted");
                }

                var value = new StringBuilder();
                at++;
                while (line[at] != '"')
                {
                    if (line[at] == '\\')
                    {
                        value.Append(line[++at] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            var c => throw new FormatException($"line {number}: bad escape \\{c} in label {label}"),
                        });
                    }
                    else
                    {
                        value.Append(line[at]);
                    }

                    at++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"line {number}: label {label} given twice");
                }

                at++;
                if (line[at] == ',')
                {
                    at++;
                }
                else if (line[at] != '}')
                {
                    throw new FormatException($"line {number}: expected ',' or '}}' after label {label}");
                }
            }

            at++;
        }

        if (at >= line.Length || line[at] != ' ')
        {
            throw new FormatException($"line {number}: expected a space before the value");
        }

        var fields = line[(at + 1)..].Split(' ');
        if (fields.Length is < 1 or > 2)
        {
            throw new FormatException($"line {number}: expected a value and an optional timestamp");
        }

        var sampleValue = fields[0] switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            var v => throw new FormatException($"line {number}: bad value \"{v}\""),
        };
        if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"line {number}: bad timestamp \"{fields[1]}\"");
        }

        return new Sample(name, labels, sampleValue);
    }

    private static void RequireName(string name, int number)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"line {number}: bad metric name \"{name}\"");
        }
    }

    private static void CheckHelpEscapes(string help, int number)
    {
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\' && (i + 1 >= help.Length || help[i + 1] is not ('\\' or 'n')))
            {
                throw new FormatException($"line {number}: bad escape in HELP text");
            }

            if (help[i] == '\\')
            {
                i++;
            }
        }
    }
}
