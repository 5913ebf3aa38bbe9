namespace CamStreamd.WebRtc.Sdp;

/// <summary>One m= section of an offer, as far as the answer needs it.</summary>
internal sealed class SdpMediaSection
{
    /// <summary>The media kind: video, audio, application.</summary>
    public required string Kind { get; init; }

    /// <summary>The transport protocol, e.g. UDP/TLS/RTP/SAVPF.</summary>
    public required string Protocol { get; init; }

    /// <summary>The m= line's formats, as written.</summary>
    public required IReadOnlyList<string> Formats { get; init; }

    /// <summary>a=mid, or null.</summary>
    public string? Mid { get; set; }

    /// <summary>a=ice-ufrag of the section (or the session's).</summary>
    public string? IceUfrag { get; set; }

    /// <summary>a=ice-pwd of the section (or the session's).</summary>
    public string? IcePwd { get; set; }

    /// <summary>a=fingerprint of the section (or the session's): hash name and value.</summary>
    public (string Algorithm, string Value)? Fingerprint { get; set; }

    /// <summary>a=setup of the section (or the session's).</summary>
    public string? Setup { get; set; }

    /// <summary>a=sendrecv / recvonly / sendonly / inactive, or null.</summary>
    public string? Direction { get; set; }

    /// <summary>a=rtpmap: payload type → encoding name/clock rate (e.g. H264/90000).</summary>
    public Dictionary<int, string> RtpMaps { get; } = [];

    /// <summary>a=fmtp: payload type → parameters.</summary>
    public Dictionary<int, string> Fmtps { get; } = [];
}
