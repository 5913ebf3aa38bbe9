using System.Globalization;

namespace CamStreamd.Configuration;

/// <summary>
/// Checks the composite keys of every stream: at least one input, each either <c>url</c> or
/// <c>stream</c>, rectangles (or <c>layout: grid</c>) inside the canvas with even coordinates and
/// sizes, known and not self-referencing streams, and no loop of composites. Errors name the key.
/// </summary>
internal static class CompositeValidator
{
    /// <summary>Longest <c>holdSeconds</c>.</summary>
    public const double MaxHoldSeconds = 3600;

    /// <summary>Most inputs of one composite.</summary>
    public const int MaxInputs = 16;

    private static readonly string[] Transports = ["tcp", "udp"];

    /// <summary>Adds the problems of the composite keys of <paramref name="streams"/> to <paramref name="errors"/>.</summary>
    public static void Validate(List<string> errors, IReadOnlyList<StreamOptions> streams)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < streams.Count; i++)
        {
            if (streams[i] is { Name: { Length: > 0 } name })
            {
                byName.TryAdd(name, i);
            }
        }

        for (var i = 0; i < streams.Count; i++)
        {
            var source = streams[i]?.Source;
            if (source is null)
            {
                continue;
            }

            var key = $"streams[{i}].source";
            if (source.Type != SourceTypes.Composite)
            {
                if (source.Inputs is not null)
                {
                    errors.Add($"{key}.inputs: only for source.type \"composite\" (got type {Quote(source.Type)})");
                }

                if (source.Layout is not null)
                {
                    errors.Add($"{key}.layout: only for source.type \"composite\" (got type {Quote(source.Type)})");
                }

                continue;
            }

            ValidateComposite(errors, key, streams[i], byName);
        }

        FindLoops(errors, streams, byName);
    }

    private static void ValidateComposite(List<string> errors, string key, StreamOptions stream, Dictionary<string, int> byName)
    {
        var source = stream.Source;
        if (!(source.HoldSeconds >= 1 && source.HoldSeconds <= MaxHoldSeconds))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.holdSeconds: must be between 1 and {MaxHoldSeconds} (got {source.HoldSeconds})"));
        }

        if (!CompositeBackground.TryParse(source.Background, out _))
        {
            errors.Add($"{key}.background: must be #RRGGBB or one of {string.Join(", ", CompositeBackground.ColourNames)} (got {Quote(source.Background)})");
        }

        if (source.Layout is not null && source.Layout != CompositeLayout.Grid)
        {
            errors.Add($"{key}.layout: must be \"grid\" or absent (got {Quote(source.Layout)})");
        }

        var inputs = source.Inputs;
        if (inputs is null || inputs.Count == 0)
        {
            errors.Add($"{key}.inputs: at least one input is required for a composite");
            return;
        }

        if (inputs.Count > MaxInputs)
        {
            errors.Add($"{key}.inputs: at most {MaxInputs} inputs (got {inputs.Count})");
        }

        var grid = source.Layout == CompositeLayout.Grid;
        for (var j = 0; j < inputs.Count; j++)
        {
            var inputKey = $"{key}.inputs[{j}]";
            var input = inputs[j];
            if (input is null)
            {
                errors.Add($"{inputKey}: must not be null");
                continue;
            }

            ValidateReference(errors, inputKey, stream.Name, input, byName);
            if (!CompositeFits.All.Contains(input.Fit, StringComparer.Ordinal))
            {
                errors.Add($"{inputKey}.fit: must be one of {string.Join(", ", CompositeFits.All)} (got {Quote(input.Fit)})");
            }

            if (input.Name is not null && !ConfigValidator.IsValidStreamName(input.Name))
            {
                errors.Add($"{inputKey}.name: must be 1 to {ConfigValidator.MaxStreamNameLength} characters of A-Z, a-z, 0-9, '_' or '-' (got {Quote(input.Name)})");
            }

            if (grid)
            {
                foreach (var (name, value) in Rectangle(input))
                {
                    if (value is not null)
                    {
                        errors.Add($"{inputKey}.{name}: not allowed with \"layout\": \"grid\" (the grid places every input)");
                    }
                }
            }
            else
            {
                ValidateRectangle(errors, inputKey, input, source.Width, source.Height);
            }
        }
    }

    private static void ValidateReference(List<string> errors, string key, string self, CompositeInputOptions input, Dictionary<string, int> byName)
    {
        if ((input.Url is null) == (input.Stream is null))
        {
            errors.Add($"{key}: needs exactly one of \"url\" (a camera to pull) and \"stream\" (a stream of this daemon)");
            return;
        }

        if (input.Stream is not null)
        {
            if (string.Equals(input.Stream, self, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{key}.stream: a composite cannot show itself (got {Quote(input.Stream)})");
            }
            else if (!byName.ContainsKey(input.Stream))
            {
                errors.Add($"{key}.stream: unknown stream {Quote(input.Stream)} (it must be configured in streams[])");
            }

            return;
        }

        if (!Uri.TryCreate(input.Url, UriKind.Absolute, out var url) || url.Scheme != "rtsp" || url.Host.Length == 0)
        {
            errors.Add($"{key}.url: must be an rtsp:// URL (got {Quote(ConfigRedactor.RedactUrl(input.Url))})");
        }

        if (!Transports.Contains(input.Transport, StringComparer.Ordinal))
        {
            errors.Add($"{key}.transport: must be one of {string.Join(", ", Transports)} (got {Quote(input.Transport)})");
        }
    }

    private static void ValidateRectangle(List<string> errors, string key, CompositeInputOptions input, int width, int height)
    {
        var missing = false;
        foreach (var (name, value) in Rectangle(input))
        {
            if (value is null)
            {
                errors.Add($"{key}.{name}: required (or set \"layout\": \"grid\" on the source)");
                missing = true;
            }
            else if (value < 0 || value % 2 != 0 || (value == 0 && name is "width" or "height"))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.{name}: must be an even number of pixels{(name is "width" or "height" ? " above 0" : ", 0 or more")} (got {value})"));
                missing = true;
            }
        }

        if (missing)
        {
            return;
        }

        if (input.X!.Value + input.Width!.Value > width)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.width: the tile ends at x {input.X + input.Width}, outside the {width}x{height} canvas (x {input.X} + width {input.Width})"));
        }

        if (input.Y!.Value + input.Height!.Value > height)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.height: the tile ends at y {input.Y + input.Height}, outside the {width}x{height} canvas (y {input.Y} + height {input.Height})"));
        }
    }

    private static (string Name, int? Value)[] Rectangle(CompositeInputOptions input) =>
        [("x", input.X), ("y", input.Y), ("width", input.Width), ("height", input.Height)];

    /// <summary>Reports each loop of composites showing each other (a → b → a) once, at the first input that closes it.</summary>
    private static void FindLoops(List<string> errors, IReadOnlyList<StreamOptions> streams, Dictionary<string, int> byName)
    {
        // 0 unvisited, 1 on the current path, 2 done (depth-first search over composite → stream edges).
        var state = new int[streams.Count];
        var path = new List<int>();
        for (var i = 0; i < streams.Count; i++)
        {
            Visit(i);
        }

        void Visit(int i)
        {
            if (state[i] != 0)
            {
                return;
            }

            state[i] = 1;
            path.Add(i);
            var inputs = streams[i]?.Source is { Type: SourceTypes.Composite, Inputs: { } list } ? list : [];
            for (var j = 0; j < inputs.Count; j++)
            {
                if (inputs[j]?.Stream is not { } target || !byName.TryGetValue(target, out var next) || next == i)
                {
                    continue;
                }

                if (state[next] == 1)
                {
                    var loop = path.Skip(path.IndexOf(next)).Select(k => streams[k].Name).Append(streams[next].Name);
                    errors.Add($"streams[{i}].source.inputs[{j}].stream: composites form a loop ({string.Join(" -> ", loop)})");
                    continue;
                }

                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
            state[i] = 2;
        }
    }

    private static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";
}
