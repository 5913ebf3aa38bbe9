namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Every fuzz target. To fuzz a new parser, write its
/// check (see <see cref="RtpFuzzProperty"/> for the pattern) and add one line here; its corpus
/// goes in Corpus/&lt;name&gt;/.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        RtspParserFuzzProperty.Target,
        TransportFuzzProperty.Target,
        RtpFuzzProperty.Header,
        RtpFuzzProperty.Depacketizer,
        RtcpFuzzProperty.Target,
        PullFuzzProperty.Response,
        PullFuzzProperty.Sdp,
        PullFuzzProperty.Receive,
        StunFuzzProperty.Target,
        SdpOfferFuzzProperty.Target,
        SrtcpFuzzProperty.Target,
        SrtcpFuzzProperty.GcmTarget,
    ];

    public static FuzzTarget Get(string name) => All.Single(t => t.Name == name);
}
