namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>A fuzz target's property did not hold (the input parsed inconsistently, grew memory, ...).</summary>
internal sealed class FuzzPropertyException : Exception
{
    public FuzzPropertyException(string message)
        : base(message)
    {
    }

    public FuzzPropertyException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public FuzzPropertyException()
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzPropertyException(message);
        }
    }
}
