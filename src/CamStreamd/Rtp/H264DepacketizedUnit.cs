namespace CamStreamd.Rtp;

/// <summary>
/// A complete access unit from <see cref="H264Depacketizer"/>: Annex-B NAL units, each behind a
/// 4-byte start code. The span points into the depacketizer's buffers and stays valid only until
/// its next <see cref="H264Depacketizer.Push"/> or <see cref="H264Depacketizer.Reset"/>.
/// </summary>
public readonly ref struct H264DepacketizedUnit
{
    /// <summary>Creates a view of one assembled access unit.</summary>
    public H264DepacketizedUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool isKeyframe)
    {
        AnnexB = annexB;
        RtpTimestamp = rtpTimestamp;
        IsKeyframe = isKeyframe;
    }

    /// <summary>The NAL units, each after 00 00 00 01.</summary>
    public ReadOnlySpan<byte> AnnexB { get; }

    /// <summary>RTP timestamp shared by the unit's packets.</summary>
    public uint RtpTimestamp { get; }

    /// <summary>True when the unit holds an IDR slice.</summary>
    public bool IsKeyframe { get; }
}
