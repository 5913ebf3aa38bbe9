namespace CamStreamd.Configuration;

/// <summary><c>rtsp.auth.users[i]</c>: one account.</summary>
public sealed record UserOptions
{
    /// <summary><c>name</c>: non-empty, no <c>:</c> (Basic credentials are <c>name:password</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary><c>password</c>: non-empty; printed as <c>***</c> by <c>check-config</c>.</summary>
    public string Password { get; init; } = "";
}
