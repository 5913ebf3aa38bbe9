namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// What a Request-URI names: the stream (the path's first segment) and, for SETUP, the track
/// (the rest). Accepts what clients send: <c>rtsp://host:port/cam0/trackID=0</c>, <c>/cam0/</c>, <c>/cam0</c>, <c>*</c>.
/// </summary>
/// <param name="Stream">The stream name, or empty for "*" or "/".</param>
/// <param name="Track">The path after the stream segment without slashes, or empty (aggregate control).</param>
public readonly record struct RtspTarget(string Stream, string Track)
{
    /// <summary>Splits <paramref name="uri"/>; false when it is neither an rtsp(s) URL nor a path nor "*".</summary>
    public static bool TryParse(string uri, out RtspTarget target)
    {
        ArgumentNullException.ThrowIfNull(uri);
        target = default;
        var path = uri.AsSpan();
        if (path.SequenceEqual("*"))
        {
            target = new RtspTarget(string.Empty, string.Empty);
            return true;
        }

        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var scheme = path[..schemeEnd];
            if (!scheme.Equals("rtsp", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("rtsps", StringComparison.OrdinalIgnoreCase)
                && !scheme.Equals("rtspu", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            path = path[(schemeEnd + 3)..];
            var slash = path.IndexOf('/');
            path = slash < 0 ? ReadOnlySpan<char>.Empty : path[slash..];
        }
        else if (!path.StartsWith("/"))
        {
            return false;
        }

        var query = path.IndexOfAny('?', '#');
        if (query >= 0)
        {
            path = path[..query];
        }

        path = path.Trim('/');
        var split = path.IndexOf('/');
        var stream = split < 0 ? path : path[..split];
        var track = split < 0 ? ReadOnlySpan<char>.Empty : path[(split + 1)..].Trim('/');
        target = new RtspTarget(Uri.UnescapeDataString(stream.ToString()), track.ToString());
        return true;
    }
}
