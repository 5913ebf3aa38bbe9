using System.Diagnostics;
using System.Net;
using CamStreamd.Media;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Media;

/// <summary>The budget's admission rules on fake connections: who is evicted, in which order, and who is refused.</summary>
public sealed class ConnectionBudgetTests
{
    private static ConnectionBudget Budget(int limit, int perAddress = 0) => new("test", limit, perAddress, NullLogger.Instance);

    [Fact]
    public void At_the_limit_a_connection_that_never_sent_a_request_goes_before_an_idle_one_and_the_oldest_first()
    {
        var budget = Budget(3, 3);
        var idleOld = FakeBudgetedConnection.Idle("10.0.0.1", since: 1);
        var silentNew = FakeBudgetedConnection.Silent("10.0.0.2", since: 50);
        var silentOld = FakeBudgetedConnection.Silent("10.0.0.3", since: 20);
        foreach (var c in new[] { idleOld, silentNew, silentOld })
        {
            Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(c));
        }

        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("10.0.0.4")));
        Assert.Equal(1, silentOld.Evictions);
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("10.0.0.5")));
        Assert.Equal(1, silentNew.Evictions);
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("10.0.0.6")));
        Assert.Equal(1, idleOld.Evictions);
        Assert.Equal(3, budget.Evicted);
        Assert.Equal(3, budget.Count);
    }

    [Fact]
    public void Connections_that_play_are_never_evicted_and_the_newcomer_is_refused()
    {
        var budget = Budget(2, 2);
        var playing = new[] { FakeBudgetedConnection.Playing("10.0.0.1"), FakeBudgetedConnection.Playing("10.0.0.2") };
        Assert.All(playing, c => Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(c)));
        Assert.Equal(BudgetAdmission.RefusedFull, budget.TryAdmit(FakeBudgetedConnection.Silent("10.0.0.3", 1)));
        Assert.All(playing, c => Assert.Equal(0, c.Evictions));
        Assert.Equal((0, 1, 2), (budget.Evicted, budget.RefusedFull, budget.Count));
    }

    [Fact]
    public void An_address_at_its_share_can_evict_only_its_own_connections()
    {
        var budget = Budget(8);
        Assert.Equal(2, budget.PerAddressLimit);
        var other = FakeBudgetedConnection.Silent("10.0.0.9", since: 0);
        var own = new[] { FakeBudgetedConnection.Silent("10.0.0.1", 5), FakeBudgetedConnection.Idle("10.0.0.1", 1) };
        budget.TryAdmit(other);
        Assert.All(own, c => budget.TryAdmit(c));

        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Silent("10.0.0.1", 9)));
        Assert.Equal((0, 1, 0), (other.Evictions, own[0].Evictions, own[1].Evictions));

        own[1].Rank = EvictionRank.Never;
        var playingToo = FakeBudgetedConnection.Playing("10.0.0.1");
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(playingToo));
        Assert.Equal(BudgetAdmission.RefusedPerAddress, budget.TryAdmit(FakeBudgetedConnection.Silent("10.0.0.1", 10)));
        Assert.Equal(0, other.Evictions);
        Assert.Equal(1, budget.RefusedPerAddress);
    }

    [Fact]
    public void Ipv6_peers_of_one_64_share_one_budget_and_ipv4_mapped_peers_count_as_ipv4()
    {
        Assert.Equal(ConnectionBudget.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), ConnectionBudget.AddressKey(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.NotEqual(ConnectionBudget.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), ConnectionBudget.AddressKey(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(IPAddress.Parse("192.0.2.7"), ConnectionBudget.AddressKey(IPAddress.Parse("::ffff:192.0.2.7")));

        var budget = Budget(4, 1);
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("2001:db8:1:2::1")));
        Assert.Equal(BudgetAdmission.RefusedPerAddress, budget.TryAdmit(FakeBudgetedConnection.Playing("2001:db8:1:2::2")));
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("192.0.2.7")));
        Assert.Equal(BudgetAdmission.RefusedPerAddress, budget.TryAdmit(FakeBudgetedConnection.Playing("::ffff:192.0.2.7")));
    }

    [Fact]
    public void Release_frees_a_place_once_and_an_evicted_connection_is_not_released_twice()
    {
        var budget = Budget(1, 1);
        var first = FakeBudgetedConnection.Silent("10.0.0.1", 1);
        budget.TryAdmit(first);
        var second = FakeBudgetedConnection.Playing("10.0.0.1");
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(second));
        Assert.False(budget.Release(first));
        Assert.True(budget.Release(second));
        Assert.False(budget.Release(second));
        Assert.Equal(0, budget.Count);
        Assert.Equal(BudgetAdmission.Admitted, budget.TryAdmit(FakeBudgetedConnection.Playing("10.0.0.1")));
    }

    [Fact]
    public void Under_pressure_only_connections_silent_for_the_short_timeout_are_closed()
    {
        var now = Stopwatch.GetTimestamp();
        var old = now - (Stopwatch.Frequency * 5);
        var budget = Budget(4, 4);
        var silentOld = FakeBudgetedConnection.Silent("10.0.0.1", old);
        var idleOld = FakeBudgetedConnection.Idle("10.0.0.1", old);
        var silentNew = FakeBudgetedConnection.Silent("10.0.0.1", now);
        budget.TryAdmit(silentOld);
        budget.TryAdmit(idleOld);
        Assert.Equal(0, budget.CloseSilentUnderPressure(now, TimeSpan.FromSeconds(2)));

        budget.TryAdmit(silentNew);
        Assert.True(budget.UnderPressure);
        Assert.Equal(1, budget.CloseSilentUnderPressure(now, TimeSpan.FromSeconds(2)));
        Assert.Equal((1, 0, 0), (silentOld.Evictions, idleOld.Evictions, silentNew.Evictions));
        Assert.Equal(1, budget.PressureClosed);
    }
}
