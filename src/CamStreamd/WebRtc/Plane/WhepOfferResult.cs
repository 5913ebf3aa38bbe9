namespace CamStreamd.WebRtc.Plane;

/// <summary>The outcome of a WHEP offer: the session and its SDP answer, or why not.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Session">The new session when <see cref="WhepOfferStatus.Created"/>.</param>
/// <param name="Answer">The SDP answer when created.</param>
/// <param name="Reason">Why not, for the problem document.</param>
public sealed record WhepOfferResult(WhepOfferStatus Status, WebRtcSession? Session, string? Answer, string? Reason);
