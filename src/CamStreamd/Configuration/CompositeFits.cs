namespace CamStreamd.Configuration;

/// <summary>Values of <c>streams[i].source.inputs[j].fit</c>.</summary>
public static class CompositeFits
{
    /// <summary>The picture is scaled to fill the tile (aspect not kept).</summary>
    public const string Stretch = "stretch";

    /// <summary>The picture is scaled to fit inside the tile with its aspect kept; the rest is background.</summary>
    public const string Contain = "contain";

    /// <summary>Every accepted value.</summary>
    public static IReadOnlyList<string> All { get; } = [Stretch, Contain];
}
