namespace CamStreamd.Configuration;

/// <summary><c>rtsp.auth</c>: client authentication.</summary>
public sealed record RtspAuthOptions
{
    /// <summary><c>rtsp.auth.mode</c>: one of <see cref="AuthModes"/>.</summary>
    public string Mode { get; init; } = AuthModes.None;

    /// <summary><c>rtsp.auth.realm</c>: realm sent in <c>WWW-Authenticate</c> (printable ASCII, no quotes or backslashes).</summary>
    public string Realm { get; init; } = "camstreamd";

    /// <summary><c>rtsp.auth.users</c>: at least one when the mode is not <c>none</c>.</summary>
    public IReadOnlyList<UserOptions> Users { get; init; } = [];
}
