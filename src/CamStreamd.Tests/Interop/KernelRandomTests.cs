using CamStreamd.Interop.Libc;

namespace CamStreamd.Tests.Interop;

public class KernelRandomTests
{
    [Fact]
    public void Fills_every_byte_and_never_repeats()
    {
        var seen = new HashSet<string>();
        var byteValues = new HashSet<byte>();
        for (var i = 0; i < 64; i++)
        {
            var bytes = KernelRandom.GetBytes(32);
            Assert.True(seen.Add(Convert.ToHexString(bytes)));
            byteValues.UnionWith(bytes);
        }

        // 2048 random bytes cover nearly every value; a fill that left zeros or repeated would not.
        Assert.InRange(byteValues.Count, 200, 256);
    }

    [Fact]
    public void Fills_a_large_span_completely()
    {
        var bytes = new byte[4096];
        KernelRandom.Fill(bytes);
        Assert.InRange(bytes.Count(b => b == 0), 0, 64);
    }
}
