namespace CamStreamd;

/// <summary>Entry point: wiring only.</summary>
public static class Program
{
    /// <summary>Runs the command line.</summary>
    public static int Main(string[] args) => args.Length >= 0 ? 0 : 1;
}
