namespace CamStreamd.Rtsp;

/// <summary>One account allowed to watch (<c>rtsp.auth.users[i]</c>).</summary>
/// <param name="Name">The user name.</param>
/// <param name="Password">The password (never logged).</param>
public sealed record RtspUser(string Name, string Password)
{
    /// <summary>Hides the password (records print every member by default).</summary>
    public override string ToString() => $"RtspUser {{ Name = {Name}, Password = *** }}";
}
