using System.Text.Json;
using Utf8 = System.Text.Encoding;

namespace CamStreamd.Configuration;

/// <summary>
/// Reads, validates and prints the configuration. Without <c>--config</c> the daemon reads
/// <see cref="DefaultPath"/> when it exists, else runs the embedded default (one stream <c>cam0</c>:
/// <see cref="DefaultVideoDevice"/> when it exists, else the test pattern). Every failure is a
/// <see cref="ConfigException"/> naming the key or the file.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The config file read when no path is given.</summary>
    public const string DefaultPath = "/etc/camstreamd.json";

    /// <summary>The camera the embedded default uses when it exists.</summary>
    public const string DefaultVideoDevice = "/dev/video0";

    /// <summary><see cref="ConfigLoadResult.Source"/> of the embedded default.</summary>
    public const string EmbeddedDefaultSource = "(embedded default)";

    /// <summary>Deepest JSON nesting accepted (the schema needs 5).</summary>
    internal const int MaxJsonDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = MaxJsonDepth,
    };

    /// <summary>Loads <paramref name="path"/>, or with null the default file or the embedded default.</summary>
    /// <exception cref="ConfigException">The file is missing (explicit path), unreadable or invalid.</exception>
    public static ConfigLoadResult Load(string? path) => Load(path, File.Exists);

    /// <summary>
    /// As <see cref="Load(string?)"/>, with the existence check injected (tests): it is asked about
    /// <paramref name="defaultPath"/> and <see cref="DefaultVideoDevice"/>.
    /// </summary>
    public static ConfigLoadResult Load(string? path, Func<string, bool> exists, string defaultPath = DefaultPath)
    {
        ArgumentNullException.ThrowIfNull(exists);
        if (path is null)
        {
            return exists(defaultPath) ? LoadFile(defaultPath) : EmbeddedDefault(exists(DefaultVideoDevice));
        }

        if (!exists(path))
        {
            throw new ConfigException($"{path}: config file not found");
        }

        return LoadFile(path);
    }

    /// <summary>Reads and validates one file.</summary>
    public static ConfigLoadResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read config file: {e.Message}", e);
        }

        return Parse(bytes, path);
    }

    /// <summary>Parses and validates JSON text; <paramref name="source"/> names it in syntax errors.</summary>
    public static ConfigLoadResult Parse(string json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Utf8.UTF8.GetBytes(json), source);
    }

    /// <summary>Parses and validates UTF-8 JSON; <paramref name="source"/> names it in syntax errors.</summary>
    public static ConfigLoadResult Parse(ReadOnlyMemory<byte> utf8Json, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(source);
        if (utf8Json.Span.StartsWith(Utf8.UTF8.Preamble))
        {
            utf8Json = utf8Json[Utf8.UTF8.Preamble.Length..];
        }

        // Parse once as a document first: syntax errors get line and column, and type errors can show the value found.
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ConfigException(JsonErrorTranslator.TranslateSyntax(e, source), e);
        }

        using (document)
        {
            var root = document.RootElement;
            CamStreamdOptions? options;
            try
            {
                options = JsonSerializer.Deserialize(utf8Json.Span, CamStreamdJsonContext.Default.CamStreamdOptions);
            }
            catch (JsonException e)
            {
                throw new ConfigException(JsonErrorTranslator.Translate(e, root), e);
            }

            if (options is null)
            {
                throw new ConfigException("(root): must be an object (got null)");
            }

            var errors = new List<string>();

            // A missing value-type key cannot be told from its default after deserialization; the GPIO line has no safe default.
            if (root.TryGetProperty("gpio", out var gpio) && gpio.ValueKind == JsonValueKind.Object
                && gpio.TryGetProperty("phyReset", out var reset) && reset.ValueKind == JsonValueKind.Object
                && !reset.TryGetProperty("line", out _))
            {
                errors.Add("gpio.phyReset.line: required (the line offset on the chip)");
            }

            if (root.TryGetProperty("gpio", out gpio) && gpio.ValueKind == JsonValueKind.Object
                && gpio.TryGetProperty("statusLed", out var led) && led.ValueKind == JsonValueKind.Object
                && !led.TryGetProperty("line", out _))
            {
                errors.Add("gpio.statusLed.line: required (the line offset on the chip)");
            }

            errors.AddRange(ConfigValidator.Validate(options));
            if (errors.Count > 0)
            {
                throw new ConfigException(errors);
            }

            return new ConfigLoadResult(options, ConfigNoticeBuilder.Build(options), source);
        }
    }

    /// <summary>The configuration used when there is no file: stream <c>cam0</c>, V4L2 or test pattern.</summary>
    public static CamStreamdOptions CreateEmbeddedDefault(bool videoDeviceExists) => new()
    {
        Streams =
        [
            new StreamOptions
            {
                Name = "cam0",
                Source = new SourceOptions
                {
                    Type = videoDeviceExists ? SourceTypes.V4l2 : SourceTypes.TestPattern,
                    Device = DefaultVideoDevice,
                    Width = 1280,
                    Height = 720,
                    Fps = 30,
                },
                Encoder = new EncoderOptions { Engine = EncoderEngines.Auto },
            },
        ],
    };

    /// <summary>The embedded default with its notices.</summary>
    public static ConfigLoadResult EmbeddedDefault(bool videoDeviceExists)
    {
        var options = CreateEmbeddedDefault(videoDeviceExists);
        return new ConfigLoadResult(options, ConfigNoticeBuilder.Build(options), EmbeddedDefaultSource);
    }

    /// <summary>
    /// The configuration as indented camelCase JSON (what <c>check-config</c> prints); with
    /// <paramref name="redact"/>, passwords, the API token and URL credentials are <c>***</c>.
    /// </summary>
    public static string ToJson(CamStreamdOptions options, bool redact = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        return JsonSerializer.Serialize(redact ? ConfigRedactor.Redact(options) : options, CamStreamdJsonContext.Default.CamStreamdOptions);
    }
}
