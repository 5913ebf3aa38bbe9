using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CamStreamd.Benchmarks;

/// <summary>
/// One short in-process job with the memory diagnoser: the figure that matters is allocated bytes
/// per operation, and every benchmark counts one operation per RTP packet (or per RTSP message)
/// through <c>OperationsPerInvoke</c>, so the Allocated column reads "bytes per packet".
/// In-process keeps a run to seconds (no generated project to build).
/// </summary>
public sealed class HotPathConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public HotPathConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(5)
            .WithLaunchCount(1)
            .WithId("hotpath"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.Json.JsonExporter.Brief);
        WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
    }
}
