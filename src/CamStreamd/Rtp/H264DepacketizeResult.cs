namespace CamStreamd.Rtp;

/// <summary>What <see cref="H264Depacketizer.Push"/> did with one RTP packet.</summary>
public enum H264DepacketizeResult
{
    /// <summary>The packet's NAL units were added to the access unit being assembled.</summary>
    Accepted = 0,

    /// <summary>Well formed, but discarded: part of a non-IDR picture while waiting for a keyframe (at start or after a loss).</summary>
    WaitingForKeyframe,

    /// <summary>Well formed, but the rest of an access unit that is already known to be damaged.</summary>
    DiscardedDamagedAccessUnit,

    /// <summary>A sequence number already seen or older than the last one (duplicate or late reorder); ignored.</summary>
    DuplicateOrLate,

    /// <summary>Shorter than its RTP header, CSRC list or extension.</summary>
    TooShort,

    /// <summary>RTP version is not 2.</summary>
    BadVersion,

    /// <summary>The RTP padding count does not fit the packet.</summary>
    BadPadding,

    /// <summary>No RTP payload.</summary>
    EmptyPayload,

    /// <summary>A packetization type this non-interleaved depacketizer does not take (STAP-B, MTAP, FU-B, 0, 30, 31).</summary>
    UnsupportedPacketType,

    /// <summary>A STAP-A whose sizes do not add up, or with an empty unit.</summary>
    MalformedAggregate,

    /// <summary>An FU-A too short, with S and E both set, a continuation without a start, or an aggregate type inside.</summary>
    MalformedFragment,

    /// <summary>The access unit grew past the configured limit.</summary>
    AccessUnitTooLarge,
}
