namespace CamStreamd.Interop.V4l2;

/// <summary>One VIDIOC_ENUM_FRAMESIZES answer: a discrete size (min = max) or a stepwise/continuous range.</summary>
/// <param name="MinWidth">Smallest width.</param>
/// <param name="MaxWidth">Largest width.</param>
/// <param name="StepWidth">Width step (1 for discrete and continuous).</param>
/// <param name="MinHeight">Smallest height.</param>
/// <param name="MaxHeight">Largest height.</param>
/// <param name="StepHeight">Height step.</param>
public sealed record V4l2FrameSizeRange(int MinWidth, int MaxWidth, int StepWidth, int MinHeight, int MaxHeight, int StepHeight)
{
    /// <summary>True for one fixed size.</summary>
    public bool IsDiscrete => MinWidth == MaxWidth && MinHeight == MaxHeight;

    /// <summary>A single discrete size.</summary>
    public static V4l2FrameSizeRange Discrete(int width, int height) => new(width, width, 1, height, height, 1);

    /// <summary>The size in this range nearest to <paramref name="width"/>x<paramref name="height"/>.</summary>
    public (int Width, int Height) Nearest(int width, int height) =>
        (Snap(width, MinWidth, MaxWidth, StepWidth), Snap(height, MinHeight, MaxHeight, StepHeight));

    /// <inheritdoc/>
    public override string ToString() => IsDiscrete
        ? FormattableString.Invariant($"{MinWidth}x{MinHeight}")
        : FormattableString.Invariant($"{MinWidth}x{MinHeight}-{MaxWidth}x{MaxHeight} step {StepWidth}/{StepHeight}");

    private static int Snap(int value, int min, int max, int step)
    {
        var clamped = Math.Clamp(value, min, max);
        step = Math.Max(1, step);
        var steps = (int)Math.Round((clamped - min) / (double)step, MidpointRounding.AwayFromZero);
        return Math.Min(max, min + (steps * step));
    }
}
