namespace CamStreamd.Configuration;

/// <summary><c>rtsp.auth</c>: client authentication.</summary>
/// <param name="Mode"><c>rtsp.auth.mode</c>: one of <see cref="AuthModes"/>.</param>
/// <param name="Realm"><c>rtsp.auth.realm</c>: realm sent in <c>WWW-Authenticate</c> (printable ASCII, no quotes or backslashes).</param>
/// <param name="Users"><c>rtsp.auth.users</c>: at least one when the mode is not <c>none</c>.</param>
public sealed record RtspAuthOptions(string Mode = AuthModes.None, string Realm = "camstreamd", IReadOnlyList<UserOptions>? Users = null)
{
    /// <summary><c>rtsp.auth.users</c>: at least one when the mode is not <c>none</c>.</summary>
    public IReadOnlyList<UserOptions> Users { get; init; } = Users ?? [];
}
