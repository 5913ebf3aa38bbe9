namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The replay list of RFC 3711 §3.3.2: the highest index accepted and a 64-bit mask of the 64
/// indices below it. Checked before, marked after a packet authenticates (so a forgery cannot
/// poison the window).
/// </summary>
internal sealed class SrtpReplayWindow
{
    /// <summary>Indices behind the highest that are still tracked (the minimum §3.3.2 asks for).</summary>
    public const int Size = 64;

    private long _highest = -1;
    private ulong _mask;

    /// <summary>Ok, Replayed or TooOld for <paramref name="index"/>.</summary>
    public SrtpResult Check(long index)
    {
        if (index > _highest)
        {
            return SrtpResult.Ok;
        }

        var behind = _highest - index;
        if (behind >= Size)
        {
            return SrtpResult.TooOld;
        }

        return (_mask & (1UL << (int)behind)) != 0 ? SrtpResult.Replayed : SrtpResult.Ok;
    }

    /// <summary>Records <paramref name="index"/> as received.</summary>
    public void Mark(long index)
    {
        if (index > _highest)
        {
            var shift = index - _highest;
            _mask = shift >= Size ? 0 : _mask << (int)shift;
            _mask |= 1;
            _highest = index;
        }
        else
        {
            _mask |= 1UL << (int)(_highest - index);
        }
    }
}
