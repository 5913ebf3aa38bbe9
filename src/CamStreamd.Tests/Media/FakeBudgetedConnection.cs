using System.Net;
using CamStreamd.Media;

namespace CamStreamd.Tests.Media;

/// <summary>A connection for <see cref="ConnectionBudget"/> tests: its rank is set by the test, evictions are recorded.</summary>
internal sealed class FakeBudgetedConnection(string address, EvictionRank rank) : IBudgetedConnection
{
    public IPAddress RemoteAddress { get; } = IPAddress.Parse(address);

    public EvictionRank Rank { get; set; } = rank;

    public int Evictions { get; private set; }

    public static FakeBudgetedConnection Silent(string address, long since) => new(address, new EvictionRank(true, EvictionRank.NoRequestYet, since));

    public static FakeBudgetedConnection Idle(string address, long since) => new(address, new EvictionRank(true, EvictionRank.Idle, since));

    public static FakeBudgetedConnection Playing(string address) => new(address, EvictionRank.Never);

    public void Evict() => Evictions++;
}
