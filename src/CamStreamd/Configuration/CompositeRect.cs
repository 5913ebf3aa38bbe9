namespace CamStreamd.Configuration;

/// <summary>A tile's rectangle in a composite's output, in pixels (all even).</summary>
public readonly record struct CompositeRect(int X, int Y, int Width, int Height);
