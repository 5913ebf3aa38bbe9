using CamStreamd.Media;

namespace CamStreamd.Tests.Media;

/// <summary>
/// Units hold arrays sized to what they carry now, not to the largest IDR they ever carried, and a
/// warm pool rents, fills, packetizes and returns without allocating.
/// </summary>
public class AccessUnitPoolTests
{
    [Fact]
    public void A_unit_that_carried_an_IDR_carries_a_small_frame_in_a_small_array()
    {
        var pool = new AccessUnitPool(4 * 1024, 64);
        var idr = pool.Rent();
        idr.GetWriteSpan(200 * 1024).Fill(0x65);
        FillRtp(idr, 200 * 1024);
        idr.Release();

        // The pool is a queue of one unit: the next rent is the same object.
        var small = pool.Rent();
        Assert.Same(idr, small);
        Assert.Equal(0, small.DataCapacity);
        Assert.Equal(0, small.Rtp.Capacity);

        small.GetWriteSpan(1500).Fill(0x41);
        FillRtp(small, 1500);
        Assert.InRange(small.DataCapacity, 1500, 4 * 1024);
        Assert.InRange(small.Rtp.Capacity, 1500, 4 * 1024);
        small.Release();
    }

    [Fact]
    public void A_cached_GOP_of_small_frames_holds_small_arrays()
    {
        var pool = new AccessUnitPool(4 * 1024, 256);
        var held = new List<AccessUnit>();
        for (var i = 0; i < 120; i++)
        {
            var unit = pool.Rent();
            var length = i == 0 ? 150 * 1024 : 2 * 1024;
            unit.GetWriteSpan(length);
            FillRtp(unit, length);
            held.Add(unit);
        }

        var bytes = held.Sum(u => (long)u.DataCapacity + u.Rtp.Capacity);

        // One 150 KiB IDR (256 KiB arrays) and 119 P-frames of 2 KiB (4 KiB arrays): ~1.5 MiB. With
        // a 64 KiB + 16 KiB array per unit it was 9.4 MiB.
        Assert.InRange(bytes, 1L, 2L * 1024 * 1024);
        held.ForEach(u => u.Release());
    }

    [Fact]
    public void A_warm_pool_rents_fills_and_returns_without_allocating()
    {
        var pool = new AccessUnitPool(4 * 1024, 64);
        var payload = new byte[30 * 1024];
        var units = new AccessUnit[10];
        for (var warm = 0; warm < 3; warm++)
        {
            Cycle(pool, payload, units);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Cycle(pool, payload, units);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Cycle(AccessUnitPool pool, byte[] payload, AccessUnit[] units)
    {
        // An IDR and nine P-frames alive at once, as in a hub's GOP cache.
        Span<int> sizes = [30 * 1024, 3000, 2500, 2000, 1800, 2200, 2600, 1900, 2100, 2400];
        for (var i = 0; i < sizes.Length; i++)
        {
            units[i] = pool.Rent();
            units[i].Set(payload.AsSpan(0, sizes[i]), i, i == 0, i);
            FillRtp(units[i], sizes[i]);
        }

        foreach (var unit in units)
        {
            unit.Release();
        }
    }

    private static void FillRtp(AccessUnit unit, int bytes)
    {
        for (var left = bytes; left > 0; left -= 1200)
        {
            unit.Rtp.BeginPacket(1212);
            unit.Rtp.CommitPacket(Math.Min(left, 1200) + 12);
        }
    }
}
