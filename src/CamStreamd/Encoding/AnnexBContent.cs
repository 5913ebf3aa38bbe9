namespace CamStreamd.Encoding;

/// <summary>What one Annex-B access unit holds (from <see cref="ParameterSetCache"/>).</summary>
/// <param name="HasSps">An SPS NAL unit is present.</param>
/// <param name="HasPps">A PPS NAL unit is present.</param>
/// <param name="HasIdr">An IDR slice is present (the unit is a keyframe).</param>
/// <param name="HasSlice">Any coded slice is present (the unit is a picture, not only headers).</param>
/// <param name="PrependedParameterSets">The cached SPS and PPS were put in front.</param>
internal readonly record struct AnnexBContent(bool HasSps, bool HasPps, bool HasIdr, bool HasSlice, bool PrependedParameterSets);
