using System.Net;
using CamStreamd.Rtsp;

namespace CamStreamd.Tests.Rtsp;

public class MulticastAddressAllocatorTests
{
    [Fact]
    public void A_stream_gets_the_same_group_every_time_and_across_allocators()
    {
        var range = IPNetwork.Parse("239.255.42.0/24");
        var a = new MulticastAddressAllocator(range, 5004);
        var b = new MulticastAddressAllocator(range, 5004);
        b.TryAllocate("other", out _);
        Assert.True(a.TryAllocate("cam0", out var first));
        Assert.True(a.TryAllocate("cam0", out var again));
        Assert.True(b.TryAllocate("cam0", out var elsewhere));
        Assert.Equal(first, again);
        Assert.Equal(first, elsewhere);
        Assert.True(range.Contains(first.Address));
        Assert.NotEqual(IPAddress.Parse("239.255.42.0"), first.Address);
        Assert.NotEqual(IPAddress.Parse("239.255.42.255"), first.Address);
        Assert.Equal(5004, first.Port);
    }

    [Fact]
    public void Streams_get_distinct_groups_and_then_distinct_even_ports()
    {
        // A /30 has two usable addresses (.1, .2); more streams share them on other port pairs.
        var allocator = new MulticastAddressAllocator(IPNetwork.Parse("239.1.2.0/30"), 5004);
        var groups = Enumerable.Range(0, 6).Select(i => Assert.IsType<IPEndPoint>(Allocate(allocator, $"s{i}"))).ToList();
        Assert.Equal(6, groups.Distinct().Count());
        Assert.All(groups, g => Assert.Contains(g.Address.ToString(), new[] { "239.1.2.1", "239.1.2.2" }));
        Assert.All(groups, g => Assert.Equal(0, g.Port % 2));
        Assert.Equal(2, groups.Take(2).Select(g => g.Address).Distinct().Count());
    }

    [Fact]
    public void A_full_range_refuses_further_streams()
    {
        var allocator = new MulticastAddressAllocator(IPNetwork.Parse("239.9.9.9/32"), 5004);
        for (var i = 0; i < MulticastAddressAllocator.PortPairsPerAddress; i++)
        {
            Assert.True(allocator.TryAllocate($"s{i}", out var group));
            Assert.Equal(IPAddress.Parse("239.9.9.9"), group.Address);
        }

        Assert.False(allocator.TryAllocate("one-too-many", out _));
    }

    private static IPEndPoint? Allocate(MulticastAddressAllocator allocator, string name) =>
        allocator.TryAllocate(name, out var group) ? group : null;
}
