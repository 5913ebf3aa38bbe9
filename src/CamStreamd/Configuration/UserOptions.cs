namespace CamStreamd.Configuration;

/// <summary><c>rtsp.auth.users[i]</c>: one account.</summary>
/// <param name="Name"><c>name</c>: non-empty, no <c>:</c> (Basic credentials are <c>name:password</c>).</param>
/// <param name="Password"><c>password</c>: non-empty; printed as <c>***</c> by <c>check-config</c>.</param>
public sealed record UserOptions(string Name = "", string Password = "");
