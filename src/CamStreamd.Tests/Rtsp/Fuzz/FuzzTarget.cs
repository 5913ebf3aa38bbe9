namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>One thing the fuzzer feeds: seed inputs, and a check that runs the code under test on one input.</summary>
/// <param name="Name">Short name; also the corpus folder (Corpus/&lt;Name&gt;/).</param>
/// <param name="Seeds">Valid inputs the mutations start from.</param>
/// <param name="Check">
/// Runs the code on one input and asserts the target's properties, throwing
/// <see cref="FuzzPropertyException"/> when one does not hold. Any other exception is a crash,
/// unless its type is in <paramref name="DocumentedExceptions"/>.
/// </param>
/// <param name="DocumentedExceptions">Exception types the code under test documents for bad input (usually none).</param>
internal sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Seeds, Action<byte[]> Check, params Type[] DocumentedExceptions)
{
    /// <summary>Runs <see cref="Check"/>; a documented exception counts as a pass.</summary>
    public void Run(byte[] input)
    {
        try
        {
            Check(input);
        }
        catch (Exception ex) when (DocumentedExceptions.Contains(ex.GetType()))
        {
            // Documented refusal of bad input.
        }
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
