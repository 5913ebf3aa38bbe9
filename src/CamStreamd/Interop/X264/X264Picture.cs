namespace CamStreamd.Interop.X264;

/// <summary>
/// An <c>x264_picture_t</c> in a block we allocate (<see cref="X264Constants.PictureBufferSize"/>),
/// initialised by x264_picture_init; only its stable leading fields are written or read (offsets
/// in <see cref="X264Constants"/>). The planes point at the caller's memory for one
/// x264_encoder_encode call, which copies them into x264's own frame.
/// </summary>
internal sealed unsafe class X264Picture : IDisposable
{
    private readonly X264NativeBlock _block;

    /// <summary>Allocates and initialises a picture (libx264 must be loaded).</summary>
    public X264Picture()
    {
        LibX264.EnsureLoaded();
        _block = X264NativeBlock.Allocate(X264Constants.PictureBufferSize);
        LibX264.PictureInit(_block.DangerousGetHandle());
    }

    /// <summary>The <c>x264_picture_t*</c>.</summary>
    public nint Address => _block.DangerousGetHandle();

    /// <summary><c>i_type</c>: X264_TYPE_AUTO, or X264_TYPE_IDR to force an IDR.</summary>
    public int Type
    {
        get => _block.ReadInt32(X264Constants.PictureTypeOffset);
        set => _block.WriteInt32(X264Constants.PictureTypeOffset, value);
    }

    /// <summary><c>i_pts</c>.</summary>
    public long Pts
    {
        get => _block.ReadInt64(X264Constants.PicturePtsOffset);
        set => _block.WriteInt64(X264Constants.PicturePtsOffset, value);
    }

    /// <summary><c>b_keyframe</c> of an output picture: true for an IDR.</summary>
    public bool IsKeyframe => _block.ReadInt32(X264Constants.PictureKeyframeOffset) != 0;

    /// <summary>Points <c>img</c> at three I420 planes (X264_CSP_I420).</summary>
    public void SetI420(byte* y, int yStride, byte* u, int uStride, byte* v, int vStride)
    {
        _block.WriteInt32(X264Constants.PictureCspOffset, X264Constants.X264_CSP_I420);
        _block.WriteInt32(X264Constants.PicturePlaneCountOffset, 3);
        _block.WriteInt32(X264Constants.PictureStrideOffset, yStride);
        _block.WriteInt32(X264Constants.PictureStrideOffset + 4, uStride);
        _block.WriteInt32(X264Constants.PictureStrideOffset + 8, vStride);
        _block.WritePointer(X264Constants.PicturePlaneOffset, y);
        _block.WritePointer(X264Constants.PicturePlaneOffset + 8, u);
        _block.WritePointer(X264Constants.PicturePlaneOffset + 16, v);
    }

    /// <summary>Clears the plane pointers (the caller's memory is unpinned after the encode call).</summary>
    public void ClearPlanes()
    {
        _block.WritePointer(X264Constants.PicturePlaneOffset, null);
        _block.WritePointer(X264Constants.PicturePlaneOffset + 8, null);
        _block.WritePointer(X264Constants.PicturePlaneOffset + 16, null);
    }

    /// <inheritdoc/>
    public void Dispose() => _block.Dispose();
}
