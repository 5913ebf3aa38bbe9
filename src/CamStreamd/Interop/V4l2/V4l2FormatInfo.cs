namespace CamStreamd.Interop.V4l2;

/// <summary>One format a capture node offers (VIDIOC_ENUM_FMT) with its frame sizes (VIDIOC_ENUM_FRAMESIZES).</summary>
/// <param name="PixelFormat">The fourcc.</param>
/// <param name="Description">The driver's description.</param>
/// <param name="Compressed">V4L2_FMT_FLAG_COMPRESSED.</param>
/// <param name="Sizes">Frame sizes (empty when the driver does not enumerate them).</param>
public sealed record V4l2FormatInfo(uint PixelFormat, string Description, bool Compressed, IReadOnlyList<V4l2FrameSizeRange> Sizes)
{
    /// <summary>The fourcc as text.</summary>
    public string FourCc => V4l2PixelFormats.ToFourCc(PixelFormat);
}
