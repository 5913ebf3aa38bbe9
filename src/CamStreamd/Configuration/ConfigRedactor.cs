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
                Inputs = s.Source.Inputs is null ? null : [.. s.Source.Inputs.Select(i => i with
                {
                    Password = i.Password is null ? null : Mask,
                    Url = RedactUrl(i.Url),
                })],
            },
            Publish = s.Publish is null ? null : new PublishTargetList(s.Publish.Select(t => t is null ? t! : t with
            {
                Password = t.Password is null ? null : Mask,
                Url = RedactUrl(t.Url),
            })),
        })],
    };

    /// <summary><c>rtsp://user:secret@host/x</c> becomes <c>rtsp://user:***@host/x</c>.</summary>
    public static string? RedactUrl(string? url)
    {
        // Plain string work, not Uri: a URL with a raw '@' in its password does not parse, yet must not leak.
        var schemeEnd = url?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (url is null || schemeEnd < 0)
        {
            return url;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOf('/', authorityStart);
        authorityEnd = authorityEnd < 0 ? url.Length : authorityEnd;

        // The last '@' of the authority ends the user info; the first ':' in it starts the password.
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var colon = at < 0 ? -1 : url.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0 ? url : $"{url[..(colon + 1)]}{Mask}{url[at..]}";
    }
}
