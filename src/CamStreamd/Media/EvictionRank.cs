namespace CamStreamd.Media;

/// <summary>
/// Where a connection stands in the eviction order of a <see cref="ConnectionBudget"/>: never
/// (<see cref="Never"/>: it plays, or a request is being served), or by <see cref="Tier"/> first
/// (0 = it has not sent one complete request, 1 = it has but holds nothing) and then oldest
/// <see cref="Since"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) first.
/// </summary>
/// <param name="Evictable">False for a connection that must never make room for a newcomer.</param>
/// <param name="Tier">Lower tiers are evicted first.</param>
/// <param name="Since">When the connection was last useful: connect time in tier 0, its last complete request in tier 1.</param>
public readonly record struct EvictionRank(bool Evictable, int Tier, long Since)
{
    /// <summary>Tier of a connection that has not sent one complete request.</summary>
    public const int NoRequestYet = 0;

    /// <summary>Tier of a connection that sent requests but holds no session and is not being served.</summary>
    public const int Idle = 1;

    /// <summary>A connection that is never evicted.</summary>
    public static EvictionRank Never => default;

    /// <summary>True when this rank is evicted before <paramref name="other"/>.</summary>
    public bool IsBefore(EvictionRank other) =>
        Evictable && (!other.Evictable || Tier < other.Tier || (Tier == other.Tier && Since < other.Since));
}
