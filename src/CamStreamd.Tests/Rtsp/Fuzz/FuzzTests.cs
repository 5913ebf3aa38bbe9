using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Runs every fuzz target: the committed corpus first, then <see cref="FuzzRunner.Cases"/> mutated
/// inputs from a fresh seed (set <c>CAMSTREAMD_FUZZ_CASES</c> for longer runs and
/// <c>CAMSTREAMD_FUZZ_SEED</c> to replay a failure).
/// </summary>
public class FuzzTests
{
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> TargetNames() => new(FuzzTargets.All.Select(t => t.Name));

    public static TheoryData<string, string> CorpusFiles()
    {
        var data = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.All)
        {
            foreach (var (name, _) in FuzzCorpus.Load(target.Name))
            {
                data.Add(target.Name, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Mutated_inputs_keep_the_targets_properties(string target)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        FuzzRunner.Run(FuzzTargets.Get(target), FuzzRunner.Cases, FuzzRunner.Seed);
        _output.WriteLine($"{target}: {FuzzRunner.Cases} cases in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Corpus_input_still_passes(string target, string file)
    {
        var input = FuzzCorpus.Load(target).Single(c => c.Name == file).Data;
        FuzzRunner.RunOne(FuzzTargets.Get(target), input, seed: 0, caseIndex: -1);
    }

    [Fact]
    public void Every_target_has_a_corpus_and_every_corpus_folder_a_target()
    {
        var folders = Directory.GetDirectories(FuzzCorpus.Root).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
    }

    [Fact]
    public void The_mutator_is_deterministic_for_a_seed()
    {
        var seeds = RtspParserFuzzProperty.Target.Seeds;
        var a = new FuzzMutator(new Random(7), seeds);
        var b = new FuzzMutator(new Random(7), seeds);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(a.Next(), b.Next());
        }
    }

    [Fact]
    public void A_failing_check_names_the_seed_and_a_minimized_input()
    {
        var target = new FuzzTarget("demo", [System.Text.Encoding.ASCII.GetBytes("hello $ world")], input =>
        {
            if (input.Contains((byte)'$'))
            {
                throw new InvalidOperationException("dollar");
            }
        });
        var failure = Assert.Throws<FuzzPropertyException>(() => FuzzRunner.Run(target, 10, seed: 1234));
        Assert.Contains("CAMSTREAMD_FUZZ_SEED=1234", failure.Message, StringComparison.Ordinal);
        Assert.Contains("minimized (escaped): $\n", failure.Message + "\n", StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(failure.InnerException);
    }
}
