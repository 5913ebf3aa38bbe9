namespace CamStreamd.Rtp;

/// <summary>Outcome of reading RTCP bytes (<see cref="RtcpPacketReader"/>, <see cref="RtcpReceiverReport.TryFind"/>).</summary>
public enum RtcpParseResult
{
    /// <summary>A packet (or the wanted report block) was read.</summary>
    Ok,

    /// <summary>The compound packet ended cleanly; nothing more to read.</summary>
    End,

    /// <summary>A well-formed compound packet without a report block about the wanted source.</summary>
    NoReport,

    /// <summary>Fewer bytes than a 4-byte common header or than the length field promises.</summary>
    Truncated,

    /// <summary>The version field is not 2 (RFC 3550 §6.4.1).</summary>
    BadVersion,

    /// <summary>The packet's length or report count does not fit its type (e.g. RR with RC blocks longer than the packet).</summary>
    BadLength,

    /// <summary>More packets in one compound than <see cref="RtcpPacketReader.MaxPackets"/>.</summary>
    TooManyPackets,
}
