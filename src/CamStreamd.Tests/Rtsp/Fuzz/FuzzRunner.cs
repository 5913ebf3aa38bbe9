using System.Globalization;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Runs a <see cref="FuzzTarget"/> over mutated inputs. The case count is bounded for CI
/// (<see cref="DefaultCases"/>; <c>CAMSTREAMD_FUZZ_CASES</c> raises it); the seed is random per
/// run unless <c>CAMSTREAMD_FUZZ_SEED</c> fixes it, and a failure names the seed, the case and
/// a minimized input (base64) ready to be saved under Corpus/&lt;target&gt;/.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>Cases per target per CI run (a second or two each).</summary>
    public const int DefaultCases = 20_000;

    /// <summary>Most check runs spent shrinking a failing input.</summary>
    private const int MaxMinimizeRuns = 4_000;

    /// <summary>Environment variable: cases per target (e.g. 5000000 for a long local run).</summary>
    public const string CasesVariable = "CAMSTREAMD_FUZZ_CASES";

    /// <summary>Environment variable: the seed, to replay a failure.</summary>
    public const string SeedVariable = "CAMSTREAMD_FUZZ_SEED";

    /// <summary>The case count: <see cref="CasesVariable"/> or <see cref="DefaultCases"/>.</summary>
    public static int Cases =>
        int.TryParse(Environment.GetEnvironmentVariable(CasesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : DefaultCases;

    /// <summary>The seed: <see cref="SeedVariable"/>, or a fresh random one.</summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    /// <summary>Runs <paramref name="cases"/> mutated inputs through <paramref name="target"/>; throws on the first failure.</summary>
    public static void Run(FuzzTarget target, int cases, int seed)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var input in target.Seeds)
        {
            RunOne(target, input, seed, caseIndex: -1);
        }

        var mutator = new FuzzMutator(new Random(seed), target.Seeds);
        for (var i = 0; i < cases; i++)
        {
            RunOne(target, mutator.Next(), seed, i);
        }
    }

    /// <summary>Runs one input; on failure throws with everything needed to reproduce it.</summary>
    public static void RunOne(FuzzTarget target, byte[] input, int seed, int caseIndex)
    {
        ArgumentNullException.ThrowIfNull(target);
        var failure = Failure(target, input);
        if (failure is null)
        {
            return;
        }

        var minimized = Minimize(target, input, failure.GetType());
        var where = caseIndex < 0 ? "a seed or corpus input" : $"case {caseIndex}";
        throw new FuzzPropertyException(
            $"fuzz target '{target.Name}' failed at {where} (reproduce with {SeedVariable}={seed}): {failure.GetType().Name}: {failure.Message}\n"
            + $"input ({input.Length} bytes, base64): {Convert.ToBase64String(input)}\n"
            + $"minimized ({minimized.Length} bytes, base64; save it as Corpus/{target.Name}/<what-it-broke>.bin): {Convert.ToBase64String(minimized)}\n"
            + $"minimized (escaped): {Escape(minimized)}",
            failure);
    }

    /// <summary>Printable form of an input: ASCII as is, the rest as \xNN.</summary>
    public static string Escape(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var b in data[..Math.Min(data.Length, 2048)])
        {
            sb.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        return data.Length > 2048 ? sb.Append("...").ToString() : sb.ToString();
    }

    private static Exception? Failure(FuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return null;
        }
#pragma warning disable CA1031 // Any exception is a finding: that is the point of a fuzzer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    /// <summary>Greedy shrinking: removes ever smaller chunks while the same exception type still comes out.</summary>
    private static byte[] Minimize(FuzzTarget target, byte[] input, Type failureType)
    {
        var current = input;
        var runs = 0;
        for (var chunk = Math.Max(1, current.Length / 2); chunk >= 1 && runs < MaxMinimizeRuns; chunk /= 2)
        {
            for (var start = 0; start + chunk <= current.Length && runs < MaxMinimizeRuns;)
            {
                var candidate = new byte[current.Length - chunk];
                current.AsSpan(0, start).CopyTo(candidate);
                current.AsSpan(start + chunk).CopyTo(candidate.AsSpan(start));
                runs++;
                if (Failure(target, candidate)?.GetType() == failureType)
                {
                    current = candidate;
                }
                else
                {
                    start += chunk;
                }
            }
        }

        return current;
    }
}
