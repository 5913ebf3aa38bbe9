namespace CamStreamd.Configuration;

/// <summary>Replaces secrets with <c>***</c> so a configuration can be printed or logged.</summary>
internal static class ConfigRedactor
{
    /// <summary>What a secret is printed as.</summary>
    public const string Mask = "***";

    /// <summary>A copy of <paramref name="options"/> with passwords, the API token and URL credentials masked.</summary>
    public static CamStreamdOptions Redact(CamStreamdOptions options) => options with
    {
        Rtsp = options.Rtsp with
        {
            Auth = options.Rtsp.Auth with
            {
                Users = [.. options.Rtsp.Auth.Users.Select(u => u with { Password = Mask })],
            },
        },
        Http = options.Http with { ApiToken = options.Http.ApiToken is null ? null : Mask },
        Streams = [.. options.Streams.Select(s => s with
        {
            Source = s.Source with
            {
                Password = s.Source.Password is null ? null : Mask,
                Url = RedactUrl(s.Source.Url),
            },
        })],
    };

    /// <summary><c>rtsp://user:secret@host/x</c> becomes <c>rtsp://user:***@host/x</c>.</summary>
    public static string? RedactUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return url;
        }

        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0 || colon < 0)
        {
            return url;
        }

        // The last '@' of the authority ends the user info, even when a password holds a raw '@'.
        var authorityEnd = url.IndexOf('/', schemeEnd + 3);
        var at = url.LastIndexOf('@', (authorityEnd < 0 ? url.Length : authorityEnd) - 1);
        return at < schemeEnd ? url : $"{url[..(schemeEnd + 3)]}{user}:{Mask}{url[at..]}";
    }
}
