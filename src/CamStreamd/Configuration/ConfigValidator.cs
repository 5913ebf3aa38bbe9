using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CamStreamd.Configuration;

/// <summary>
/// Checks the values of a deserialized configuration. Every error names the full key path
/// (<c>streams[0].source.width: must be even (got 641)</c>); all errors are collected, not just the first.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Longest stream name (it is an URL path segment).</summary>
    public const int MaxStreamNameLength = 64;

    /// <summary>Largest width or height.</summary>
    public const int MaxDimension = 8192;

    /// <summary>Largest <c>rtsp.maxFrameLength</c> (64 MiB).</summary>
    public const int MaxFrameLengthLimit = 64 * 1024 * 1024;

    private static readonly string[] Formats = ["auto", "yuyv", "nv12", "yuv420", "mjpeg", "h264"];
    private static readonly string[] Profiles = ["baseline", "main", "high"];
    private static readonly string[] Transports = ["tcp", "udp"];
    private static readonly string[] LogLevels = ["Verbose", "Debug", "Information", "Warning", "Error", "Fatal"];

    // Every multicast group is inside 224.0.0.0/4 (RFC 5771).
    private static readonly IPNetwork MulticastSpace = new(new IPAddress([224, 0, 0, 0]), 4);

    /// <summary>Every problem found in <paramref name="options"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(CamStreamdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (NotNull(errors, "rtsp", options.Rtsp))
        {
            ValidateRtsp(errors, options.Rtsp);
        }

        if (NotNull(errors, "http", options.Http))
        {
            ListenAddress(errors, "http.listenAddress", options.Http.ListenAddress);
            Range(errors, "http.port", options.Http.Port, 0, 65535);
            if (options.Http.ApiToken is { Length: 0 })
            {
                errors.Add("http.apiToken: must not be empty (use null for no token)");
            }

            Range(errors, "http.maxConnections", options.Http.MaxConnections, 2, 10000);
            Range(errors, "http.maxConnectionsPerAddress", options.Http.MaxConnectionsPerAddress, 0, options.Http.MaxConnections);

            // Fewer MJPEG viewers than connections, so /api/health and /metrics answer when the viewers' budget is full.
            Range(errors, "http.maxMjpegViewers", options.Http.MaxMjpegViewers, 1, Math.Max(1, options.Http.MaxConnections - 1));
            if (NotNull(errors, "http.mjpeg", options.Http.Mjpeg))
            {
                if (!(options.Http.Mjpeg.Fps >= 1 && options.Http.Mjpeg.Fps <= 60))
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"http.mjpeg.fps: must be between 1 and 60 (got {options.Http.Mjpeg.Fps})"));
                }

                Range(errors, "http.mjpeg.quality", options.Http.Mjpeg.Quality, 1, 100);
            }
        }

        if (NotNull(errors, "streams", options.Streams))
        {
            ValidateStreams(errors, options.Streams);
        }

        if (NotNull(errors, "gpio", options.Gpio))
        {
            ValidateGpio(errors, options.Gpio);
        }

        if (NotNull(errors, "webrtc", options.WebRtc))
        {
            ValidateWebRtc(errors, options.WebRtc);
        }

        if (NotNull(errors, "logging", options.Logging))
        {
            OneOf(errors, "logging.level", options.Logging.Level, LogLevels, StringComparer.OrdinalIgnoreCase);
        }

        return errors;
    }

    private static void ValidateGpio(List<string> errors, GpioOptions gpio)
    {
        OneOf(errors, "gpio.driver", gpio.Driver, GpioDrivers.All, StringComparer.Ordinal);
        var libgpiod = gpio.Driver == GpioDrivers.Libgpiod;
        if (gpio.PhyReset is { } reset)
        {
            GpioChip(errors, "gpio.phyReset.chip", reset.Chip, libgpiod);
            Range(errors, "gpio.phyReset.line", reset.Line, 0, 65535);
            Range(errors, "gpio.phyReset.assertMs", reset.AssertMs, 1, 10_000);
            Range(errors, "gpio.phyReset.settleMs", reset.SettleMs, 0, 60_000);
        }

        if (gpio.StatusLed is { } led)
        {
            GpioChip(errors, "gpio.statusLed.chip", led.Chip, libgpiod);
            Range(errors, "gpio.statusLed.line", led.Line, 0, 65535);
            Range(errors, "gpio.statusLed.blinkMs", led.BlinkMs, 100, 5_000);
            if (gpio.PhyReset is { } phy && phy.Chip == led.Chip && phy.Line == led.Line)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"gpio.statusLed.line: line {led.Line} of {led.Chip} is already gpio.phyReset's"));
            }
        }
    }

    private static void ValidateWebRtc(List<string> errors, WebRtcOptions webRtc)
    {
        Range(errors, "webrtc.port", webRtc.Port, 0, 65535);
        Range(errors, "webrtc.maxSessions", webRtc.MaxSessions, 1, 1000);
        if (NotNull(errors, "webrtc.additionalHosts", webRtc.AdditionalHosts))
        {
            for (var i = 0; i < webRtc.AdditionalHosts.Count; i++)
            {
                ListenAddress(errors, $"webrtc.additionalHosts[{i}]", webRtc.AdditionalHosts[i]);
            }
        }

        if (NotNull(errors, "webrtc.allowOrigins", webRtc.AllowOrigins))
        {
            for (var i = 0; i < webRtc.AllowOrigins.Count; i++)
            {
                var origin = webRtc.AllowOrigins[i];
                if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                    && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/" && !origin.EndsWith('/')))
                {
                    errors.Add($"webrtc.allowOrigins[{i}]: must be \"*\" or an origin such as https://example.com (scheme, host, optional port; no path) (got {Quote(origin)})");
                }
            }
        }
    }

    private static void GpioChip(List<string> errors, string key, string? chip, bool libgpiod)
    {
        var before = errors.Count;
        DevicePath(errors, key, chip);
        if (errors.Count == before && libgpiod && !GpioDrivers.TryChipNumber(chip, out _))
        {
            errors.Add($"{key}: gpio.driver \"libgpiod\" opens chips by number, so the chip must be /dev/gpiochipN (got {Quote(chip)})");
        }
    }

    private static void ValidateRtsp(List<string> errors, RtspOptions rtsp)
    {
        ListenAddress(errors, "rtsp.listenAddress", rtsp.ListenAddress);
        Range(errors, "rtsp.port", rtsp.Port, 0, 65535);
        Range(errors, "rtsp.maxFrameLength", rtsp.MaxFrameLength, 0, MaxFrameLengthLimit);
        Range(errors, "rtsp.sessionTimeoutSeconds", rtsp.SessionTimeoutSeconds, 5, 3600);
        Range(errors, "rtsp.maxConnections", rtsp.MaxConnections, 1, 10000);
        Range(errors, "rtsp.maxConnectionsPerAddress", rtsp.MaxConnectionsPerAddress, 0, rtsp.MaxConnections);
        if (NotNull(errors, "rtsp.multicast", rtsp.Multicast))
        {
            var range = rtsp.Multicast.AddressRange;
            if (range is null
                || range.Count(c => c == '.') != 3
                || !IPNetwork.TryParse(range, out var network)
                || network.BaseAddress.AddressFamily != AddressFamily.InterNetwork
                || network.PrefixLength < MulticastSpace.PrefixLength
                || !MulticastSpace.Contains(network.BaseAddress))
            {
                errors.Add($"rtsp.multicast.addressRange: must be an IPv4 CIDR range inside 224.0.0.0/4, e.g. 239.255.42.0/24 (got {Quote(range)})");
            }

            Range(errors, "rtsp.multicast.ttl", rtsp.Multicast.Ttl, 1, 255);
        }

        if (NotNull(errors, "rtsp.auth", rtsp.Auth))
        {
            ValidateAuth(errors, rtsp.Auth);
        }
    }

    private static void ValidateAuth(List<string> errors, RtspAuthOptions auth)
    {
        OneOf(errors, "rtsp.auth.mode", auth.Mode, AuthModes.All, StringComparer.Ordinal);

        // The realm is sent inside a quoted-string (RFC 2617 1.2); keep it to printable ASCII without escapes.
        if (string.IsNullOrEmpty(auth.Realm) || auth.Realm.Any(c => c is < ' ' or > '~' or '"' or '\\'))
        {
            errors.Add($"rtsp.auth.realm: must be non-empty printable ASCII without quotes or backslashes (got {Quote(auth.Realm)})");
        }

        if (!NotNull(errors, "rtsp.auth.users", auth.Users))
        {
            return;
        }

        if (auth.Mode is AuthModes.Basic or AuthModes.Digest && auth.Users.Count == 0)
        {
            errors.Add($"rtsp.auth.users: at least one user is required when rtsp.auth.mode is \"{auth.Mode}\"");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < auth.Users.Count; i++)
        {
            var key = $"rtsp.auth.users[{i}]";
            var user = auth.Users[i];
            if (!NotNull(errors, key, user))
            {
                continue;
            }

            if (string.IsNullOrEmpty(user.Name) || user.Name.Contains(':', StringComparison.Ordinal) || user.Name.Any(char.IsControl))
            {
                errors.Add($"{key}.name: required, without ':' or control characters (got {Quote(user.Name)})");
            }
            else if (!seen.Add(user.Name))
            {
                errors.Add($"{key}.name: duplicate user {Quote(user.Name)}");
            }

            if (string.IsNullOrEmpty(user.Password))
            {
                errors.Add($"{key}.password: required");
            }
        }
    }

    private static void ValidateStreams(List<string> errors, IReadOnlyList<StreamOptions> streams)
    {
        if (streams.Count == 0)
        {
            errors.Add("streams: at least one stream is required");
        }

        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < streams.Count; i++)
        {
            var key = $"streams[{i}]";
            var stream = streams[i];
            if (!NotNull(errors, key, stream))
            {
                continue;
            }

            if (!IsValidStreamName(stream.Name))
            {
                errors.Add(string.IsNullOrEmpty(stream.Name)
                    ? $"{key}.name: required"
                    : $"{key}.name: must be 1 to {MaxStreamNameLength} characters of A-Z, a-z, 0-9, '_' or '-' (got {Quote(stream.Name)})");
            }
            else if (!names.TryAdd(stream.Name, i))
            {
                errors.Add($"{key}.name: duplicate stream name {Quote(stream.Name)} (same as streams[{names[stream.Name]}].name; names are compared ignoring case)");
            }

            if (NotNull(errors, $"{key}.source", stream.Source))
            {
                ValidateSource(errors, $"{key}.source", stream.Source);
            }

            if (NotNull(errors, $"{key}.encoder", stream.Encoder))
            {
                var encoder = stream.Encoder;
                OneOf(errors, $"{key}.encoder.engine", encoder.Engine, EncoderEngines.All, StringComparer.Ordinal);
                if (stream.Source?.Type == SourceTypes.Rtsp && encoder.Engine is not (EncoderEngines.Auto or EncoderEngines.Passthrough))
                {
                    errors.Add($"{key}.encoder.engine: a pulled stream (source.type \"rtsp\") is relayed without re-encoding; use \"auto\" or \"passthrough\" (got {Quote(encoder.Engine)})");
                }

                Range(errors, $"{key}.encoder.bitrate", encoder.Bitrate, 10_000, 100_000_000);
                Range(errors, $"{key}.encoder.gop", encoder.Gop, 1, 1000);
                OneOf(errors, $"{key}.encoder.profile", encoder.Profile, Profiles, StringComparer.Ordinal);
                OneOf(errors, $"{key}.encoder.rateControl", encoder.RateControl, Encoding.EncoderSettings.RateControls, StringComparer.Ordinal);
                Range(errors, $"{key}.encoder.qp", encoder.Qp, 0, 51);
                if (encoder.Level is not null)
                {
                    OneOf(errors, $"{key}.encoder.level", encoder.Level, Encoding.EncoderSettings.Levels, StringComparer.Ordinal);
                }

                if (string.IsNullOrEmpty(encoder.Device) || !encoder.Device.StartsWith('/'))
                {
                    errors.Add($"{key}.encoder.device: must be an absolute device path such as /dev/dri/renderD128 (got {Quote(encoder.Device)})");
                }
            }

            OutputOptionsValidator.Validate(errors, key, stream);
        }

        CompositeValidator.Validate(errors, streams);
    }

    private static void ValidateSource(List<string> errors, string key, SourceOptions source)
    {
        if (string.IsNullOrEmpty(source.Type))
        {
            errors.Add($"{key}.type: required, one of {string.Join(", ", SourceTypes.All)}");
        }
        else
        {
            OneOf(errors, $"{key}.type", source.Type, SourceTypes.All, StringComparer.Ordinal);
        }

        if (source.Type == SourceTypes.V4l2)
        {
            DevicePath(errors, $"{key}.device", source.Device);
        }

        Dimension(errors, $"{key}.width", source.Width);
        Dimension(errors, $"{key}.height", source.Height);
        if (!(source.Fps >= 1 && source.Fps <= 240))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}.fps: must be between 1 and 240 (got {source.Fps})"));
        }

        OneOf(errors, $"{key}.format", source.Format, Formats, StringComparer.Ordinal);
        OneOf(errors, $"{key}.transport", source.Transport, Transports, StringComparer.Ordinal);
        if (source.Type == SourceTypes.Rtsp || source.Url is not null)
        {
            if (!Uri.TryCreate(source.Url, UriKind.Absolute, out var url) || url.Scheme is not ("rtsp" or "rtsps") || url.Host.Length == 0)
            {
                errors.Add($"{key}.url: must be an rtsp:// or rtsps:// URL (got {Quote(ConfigRedactor.RedactUrl(source.Url))})");
            }
            else if (source.Type == SourceTypes.Rtsp && url.Scheme == "rtsps")
            {
                errors.Add($"{key}.url: rtsps:// (RTSP over TLS) is not supported for pulling yet; use rtsp:// (got {Quote(ConfigRedactor.RedactUrl(source.Url))})");
            }
        }
    }

    /// <summary>True when <paramref name="name"/> is 1..64 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsValidStreamName(string? name) =>
        name is { Length: > 0 and <= MaxStreamNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static bool NotNull<T>(List<string> errors, string key, T? value)
        where T : class
    {
        if (value is null)
        {
            errors.Add($"{key}: must not be null");
            return false;
        }

        return true;
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: must be between {min} and {max} (got {value})"));
        }
    }

    private static void Dimension(List<string> errors, string key, int value)
    {
        if (value <= 0 || value > MaxDimension || value % 2 != 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: must be a positive even number of pixels, at most {MaxDimension} (got {value})"));
        }
    }

    private static void OneOf(List<string> errors, string key, string? value, IReadOnlyList<string> allowed, StringComparer comparer)
    {
        if (value is null || !allowed.Contains(value, comparer))
        {
            errors.Add($"{key}: must be one of {string.Join(", ", allowed)} (got {Quote(value)})");
        }
    }

    private static void ListenAddress(List<string> errors, string key, string? value)
    {
        // IPAddress.TryParse also takes legacy short forms ("1" is 0.0.0.1); require four dotted parts for IPv4.
        if (value is null || !IPAddress.TryParse(value, out var address)
            || (address.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') != 3))
        {
            errors.Add($"{key}: must be an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or :: (got {Quote(value)})");
        }
    }

    private static void DevicePath(List<string> errors, string key, string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.StartsWith("/dev/", StringComparison.Ordinal) || value.Length == 5)
        {
            errors.Add($"{key}: must be a device path under /dev/ (got {Quote(value)})");
        }
    }

    private static string Quote(string? value) => value is null ? "null" : "\"" + value + "\"";
}
