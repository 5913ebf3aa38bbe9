namespace CamStreamd.Rtsp.Protocol;

/// <summary>Character classes of RFC 2616 §2.2 that RTSP reuses (RFC 2326 §15).</summary>
internal static class WireBytes
{
    /// <summary>'$', the first byte of an interleaved binary frame (RFC 2326 §10.12).</summary>
    public const byte Dollar = 0x24;

    private const string Separators = "()<>@,;:\\\"/[]?={} \t";

    /// <summary>A token character: a visible US-ASCII character that is not a separator.</summary>
    public static bool IsTokenChar(byte b) => b > 32 && b < 127 && !Separators.Contains((char)b, StringComparison.Ordinal);

    /// <summary>True when <paramref name="text"/> is a non-empty token.</summary>
    public static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c > 127 || !IsTokenChar((byte)c))
            {
                return false;
            }
        }

        return true;
    }
}
