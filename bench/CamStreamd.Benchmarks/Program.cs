using BenchmarkDotNet.Running;

namespace CamStreamd.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's switcher (bench/bench.sh passes --filter and job options).</summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new HotPathConfig());
}
