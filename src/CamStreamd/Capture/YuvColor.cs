namespace CamStreamd.Capture;

/// <summary>A colour as limited-range BT.601 Y'CbCr bytes (Y 16..235, Cb/Cr 16..240).</summary>
internal readonly record struct YuvColor(byte Y, byte U, byte V)
{
    public static YuvColor White => new(235, 128, 128);

    public static YuvColor Black => new(16, 128, 128);

    public static YuvColor Yellow => new(210, 16, 146);

    public static YuvColor Cyan => new(170, 166, 16);

    public static YuvColor Green => new(145, 54, 34);

    public static YuvColor Magenta => new(106, 202, 222);

    public static YuvColor Red => new(81, 90, 240);

    public static YuvColor Blue => new(41, 240, 110);
}
