namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The 48-bit SRTP packet index i = 2^16 · ROC + SEQ of one SSRC (RFC 3711 §3.3.1): the highest
/// index seen and the estimate of a new sequence number's index relative to it (Appendix A).
/// </summary>
internal sealed class SrtpRolloverCounter
{
    private bool _started;

    /// <summary>ROC of the highest index.</summary>
    public uint Rollover { get; private set; }

    /// <summary>Sequence number of the highest index (s_l).</summary>
    public ushort HighestSequence { get; private set; }

    /// <summary>Highest index so far.</summary>
    public long HighestIndex => ((long)Rollover << 16) | HighestSequence;

    /// <summary>The index <paramref name="sequence"/> most likely has (the nearest to the highest, §3.3.1).</summary>
    public long IndexFor(ushort sequence)
    {
        if (!_started)
        {
            return sequence;
        }

        long roc = Rollover;
        if (HighestSequence < 32768)
        {
            if (sequence - HighestSequence > 32768 && roc > 0)
            {
                roc--;
            }
        }
        else if (HighestSequence - 32768 > sequence)
        {
            roc++;
        }

        return (roc << 16) | sequence;
    }

    /// <summary>Moves the highest index forward to <paramref name="index"/> if it is higher.</summary>
    public void Update(long index)
    {
        if (!_started || index > HighestIndex)
        {
            _started = true;
            Rollover = (uint)(index >> 16);
            HighestSequence = (ushort)index;
        }
    }
}
