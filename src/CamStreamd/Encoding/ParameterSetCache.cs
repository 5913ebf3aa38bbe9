using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Encoding;

/// <summary>
/// Keeps the latest SPS and PPS seen in an H.264 stream and writes access units so that every
/// IDR is preceded by them: an IDR that lacks them gets the cached ones prepended; a unit that
/// carries only parameter sets (some hardware encoders and cameras send headers apart) is
/// cached, not published. Allocation-free after the first parameter sets (buffers grow rarely).
/// </summary>
internal sealed class ParameterSetCache
{
    // H.264 SPS/PPS are tens of bytes; the buffers grow if a stream ever sends larger ones.
    private const int InitialCapacity = 256;

    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    private byte[] _sps = new byte[InitialCapacity];
    private byte[] _pps = new byte[InitialCapacity];
    private int _spsLength;
    private int _ppsLength;

    /// <summary>True once both an SPS and a PPS were seen.</summary>
    public bool HasParameterSets => _spsLength > 0 && _ppsLength > 0;

    /// <summary>The cached SPS NAL unit (no start code); empty before the first.</summary>
    public ReadOnlySpan<byte> Sps => _sps.AsSpan(0, _spsLength);

    /// <summary>The cached PPS NAL unit (no start code); empty before the first.</summary>
    public ReadOnlySpan<byte> Pps => _pps.AsSpan(0, _ppsLength);

    /// <summary>
    /// Copies <paramref name="annexB"/> into <paramref name="unit"/> (prepending the cached SPS and
    /// PPS before an IDR that has none) and returns what it holds. A unit without any slice
    /// returns <see cref="AnnexBContent.HasSlice"/> false and should not be published.
    /// </summary>
    public AnnexBContent Write(ReadOnlySpan<byte> annexB, AccessUnit unit)
    {
        var content = Inspect(annexB);
        var prepend = content.HasIdr && !(content.HasSps && content.HasPps) && HasParameterSets;
        if (!prepend)
        {
            annexB.CopyTo(unit.GetWriteSpan(annexB.Length));
            return content;
        }

        var extra = (2 * StartCode.Length) + _spsLength + _ppsLength;
        var span = unit.GetWriteSpan(extra + annexB.Length);
        StartCode.CopyTo(span);
        Sps.CopyTo(span[StartCode.Length..]);
        var offset = StartCode.Length + _spsLength;
        StartCode.CopyTo(span[offset..]);
        Pps.CopyTo(span[(offset + StartCode.Length)..]);
        annexB.CopyTo(span[extra..]);
        return content with { HasSps = true, HasPps = true, PrependedParameterSets = true };
    }

    /// <summary>Scans the NAL units, caching any SPS and PPS.</summary>
    public AnnexBContent Inspect(ReadOnlySpan<byte> annexB)
    {
        var content = default(AnnexBContent);
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            switch (AnnexBReader.NalType(nal))
            {
                case NalUnitType.Sps:
                    Store(ref _sps, ref _spsLength, nal);
                    content = content with { HasSps = true };
                    break;
                case NalUnitType.Pps:
                    Store(ref _pps, ref _ppsLength, nal);
                    content = content with { HasPps = true };
                    break;
                case NalUnitType.IdrSlice:
                    content = content with { HasIdr = true, HasSlice = true };
                    break;
                case NalUnitType.NonIdrSlice:
                case 2: // slice data partition A (Extended profile; not produced by our engines, still a picture)
                    content = content with { HasSlice = true };
                    break;
            }
        }

        return content;
    }

    private static void Store(ref byte[] buffer, ref int length, ReadOnlySpan<byte> nal)
    {
        if (nal.Length > buffer.Length)
        {
            buffer = new byte[nal.Length * 2];
        }

        nal.CopyTo(buffer);
        length = nal.Length;
    }
}
