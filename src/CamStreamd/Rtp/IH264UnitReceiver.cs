namespace CamStreamd.Rtp;

/// <summary>Takes the access units an <see cref="H264RtpReceiver"/> reassembles.</summary>
public interface IH264UnitReceiver
{
    /// <summary>
    /// One complete access unit (Annex-B, valid only during the call) with its RTP timestamp.
    /// <paramref name="afterLoss"/> is true for the first unit after units were dropped (it is then an IDR).
    /// </summary>
    void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss);
}
