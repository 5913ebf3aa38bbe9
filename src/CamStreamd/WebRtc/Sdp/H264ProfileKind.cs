namespace CamStreamd.WebRtc.Sdp;

/// <summary>The H.264 profiles a WebRTC peer tells apart (RFC 6184 §8.1 profile-level-id, as browsers classify it).</summary>
public enum H264ProfileKind
{
    /// <summary>Something else (High 10, 4:2:2, 4:4:4, Extended…): never matched.</summary>
    Other,

    /// <summary>Constrained Baseline (42 with constraint_set1, or 4D/58 with constraint_set0 and 1).</summary>
    ConstrainedBaseline,

    /// <summary>Baseline (42 without constraint_set1).</summary>
    Baseline,

    /// <summary>Main (4D).</summary>
    Main,

    /// <summary>High (64).</summary>
    High,

    /// <summary>Constrained High (64 with constraint_set4 and 5).</summary>
    ConstrainedHigh,

    /// <summary>High 4:4:4 Predictive (F4): its decoders decode High too (Chromium offers it where it offers no 64).</summary>
    High444,
}
