namespace CamStreamd.Encoding;

/// <summary>One AVOption handed to FFmpeg with <c>av_opt_set(ctx, Name, Value, flags)</c> before <c>avcodec_open2</c>.</summary>
/// <param name="Name">The option name (<c>b</c>, <c>rc_mode</c>, ...).</param>
/// <param name="Value">The value as FFmpeg parses it (numbers, named constants, <c>+flag</c>, <c>1/90000</c>).</param>
/// <param name="Private">
/// True for the codec's private options (set with <c>AV_OPT_SEARCH_CHILDREN</c>, which FFmpeg
/// searches before the generic AVCodecContext options); false for generic ones.
/// </param>
public sealed record CodecOption(string Name, string Value, bool Private = false)
{
    /// <inheritdoc/>
    public override string ToString() => Private ? $"{Name}={Value} (private)" : $"{Name}={Value}";
}
