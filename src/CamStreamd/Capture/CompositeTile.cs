using CamStreamd.Configuration;
using CamStreamd.Encoding;

namespace CamStreamd.Capture;

/// <summary>
/// One tile of the composite: where its input goes and what it shows now. Each output frame the
/// compositor asks it to update: a newer picture in the input's slot is scaled into the tile
/// (the whole rectangle for <c>stretch</c>; for <c>contain</c> the largest even rectangle of the
/// picture's aspect, centred, with background bars drawn once per size change); no newer
/// picture leaves the tile as it is (the last picture held); no picture for
/// <c>holdSeconds</c> turns it black with the input's name and NO SIGNAL, once. Other tiles are
/// never touched.
/// </summary>
internal sealed class CompositeTile : IDisposable
{
    /// <summary>Pictures older than this make a <c>live</c> tile <c>holding</c>.</summary>
    private static readonly long LiveTicks = System.Diagnostics.Stopwatch.Frequency;

    private readonly CompositeCanvas _canvas;
    private readonly TileScaler _scaler;
    private readonly YuvColor _background;
    private readonly long _holdTicks;
    private readonly Func<int, int, PlanarTarget> _prepare;
    private long _drawnVersion;
    private (int Width, int Height) _pictureSize;
    private bool _showingPicture;
    private bool _showingNoSignal;

    public CompositeTile(ICompositeInput input, CompositeRect rect, string fit, CompositeCanvas canvas, TileScaler scaler, YuvColor background, TimeSpan hold)
    {
        Input = input;
        Rect = rect;
        Contain = fit == CompositeFits.Contain;
        _canvas = canvas;
        _scaler = scaler;
        _background = background;
        _holdTicks = (long)(hold.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

        // One delegate for the tile's life: drawing allocates nothing.
        _prepare = Prepare;
    }

    public ICompositeInput Input { get; }

    public CompositeRect Rect { get; }

    public bool Contain { get; }

    /// <summary>Pictures scaled into the tile.</summary>
    public long Scaled { get; private set; }

    /// <summary>Brings the tile up to date at <paramref name="now"/> (Stopwatch ticks).</summary>
    public void Update(long now)
    {
        var slot = Input.Slot;
        var counters = Input.Counters;
        if (slot.Version != _drawnVersion)
        {
            try
            {
                var drawn = slot.DrawIfNewer(_drawnVersion, _scaler, _prepare);
                if (drawn != _drawnVersion)
                {
                    _drawnVersion = drawn;
                    _showingPicture = true;
                    _showingNoSignal = false;
                    Scaled++;
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A picture libswscale cannot take (an odd format): counted; the tile keeps what it had.
                _drawnVersion = slot.Version;
                counters.AddFailures(1, e.Message);
            }
        }

        var last = slot.LastPictureTicks;
        var age = last == 0 ? long.MaxValue : now - last;
        if (age >= _holdTicks && !_showingNoSignal)
        {
            NoSignalTileRenderer.Render(_canvas.Frame, Rect.X, Rect.Y, Rect.Width, Rect.Height, counters.Name);
            _showingNoSignal = true;
            _showingPicture = false;
        }

        counters.SetState(_showingNoSignal ? (last == 0 ? "waiting" : "noSignal") : age <= LiveTicks ? "live" : "holding");
    }

    public void Dispose() => _scaler.Dispose();

    /// <summary>The rectangle a picture of <paramref name="width"/>x<paramref name="height"/> is scaled into (called under the slot's lock).</summary>
    private PlanarTarget Prepare(int width, int height)
    {
        if (!Contain || width <= 0 || height <= 0)
        {
            return _canvas.Target(Rect.X, Rect.Y, Rect.Width, Rect.Height);
        }

        var inner = ContainRect(Rect, width, height);
        if (!_showingPicture || _pictureSize != (width, height))
        {
            // Bars once per size change (and after a NO SIGNAL card), not per frame.
            new PlanarCanvas(_canvas.Frame).FillRect(Rect.X, Rect.Y, Rect.Width, Rect.Height, _background);
            _pictureSize = (width, height);
        }

        return _canvas.Target(inner.X, inner.Y, inner.Width, inner.Height);
    }

    /// <summary>The largest rectangle of <paramref name="width"/>:<paramref name="height"/> inside <paramref name="tile"/>, centred, every edge even.</summary>
    internal static CompositeRect ContainRect(CompositeRect tile, int width, int height)
    {
        // Compare tile.W / tile.H with width / height without rounding.
        int w, h;
        if ((long)tile.Width * height <= (long)tile.Height * width)
        {
            w = tile.Width;
            h = (int)Math.Round((double)tile.Width * height / width / 2) * 2;
        }
        else
        {
            h = tile.Height;
            w = (int)Math.Round((double)tile.Height * width / height / 2) * 2;
        }

        w = Math.Clamp(w, 2, tile.Width);
        h = Math.Clamp(h, 2, tile.Height);
        return new CompositeRect(tile.X + ((tile.Width - w) / 4 * 2), tile.Y + ((tile.Height - h) / 4 * 2), w, h);
    }
}
