namespace CamStreamd.Configuration;

/// <summary>Values of <c>rtsp.auth.mode</c>.</summary>
public static class AuthModes
{
    /// <summary>Every client is accepted.</summary>
    public const string None = "none";

    /// <summary>HTTP Basic (RFC 7617).</summary>
    public const string Basic = "basic";

    /// <summary>HTTP Digest (RFC 2617, as RTSP 1.0 clients implement it).</summary>
    public const string Digest = "digest";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [None, Basic, Digest];
}
