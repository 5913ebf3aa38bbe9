namespace CamStreamd.Rtsp;

/// <summary>Client authentication of the RTSP server (from <c>rtsp.auth</c>).</summary>
public sealed record RtspAuthSettings
{
    /// <summary>No authentication.</summary>
    public static RtspAuthSettings None { get; } = new();

    /// <summary>The mode.</summary>
    public RtspAuthMode Mode { get; init; } = RtspAuthMode.None;

    /// <summary>The realm of the challenges (printable ASCII, validated by the config).</summary>
    public string Realm { get; init; } = "camstreamd";

    /// <summary>The accounts; at least one unless <see cref="Mode"/> is None.</summary>
    public IReadOnlyList<RtspUser> Users { get; init; } = [];

    /// <summary>How long a Digest nonce is accepted; afterwards the client is challenged again with <c>stale=true</c>.</summary>
    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>At most one failed-attempt log line per this interval (the rest are counted into the next line).</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(10);
}
