using System.Globalization;
using System.Text;

namespace CamStreamd.Tests.Http;

/// <summary>
/// Reads the parts of a multipart/x-mixed-replace body strictly: each part must start with
/// <c>--boundary</c>, carry <c>Content-Type</c> and <c>Content-Length</c>, and its body must be
/// exactly that long and followed by CRLF.
/// </summary>
internal sealed class MjpegPartReader(Stream body, string boundary)
{
    private readonly byte[] _one = new byte[1];

    /// <summary>One part: its headers (lower-case names) and body.</summary>
    public sealed record Part(IReadOnlyDictionary<string, string> Headers, byte[] Body);

    /// <summary>Reads the next part; throws on any deviation or the end of the body.</summary>
    public async Task<Part> ReadAsync(CancellationToken cancellationToken)
    {
        var delimiter = await ReadLineAsync(cancellationToken);
        if (delimiter != "--" + boundary)
        {
            throw new FormatException($"expected the delimiter --{boundary}, got \"{delimiter}\"");
        }

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        if (!headers.TryGetValue("content-length", out var lengthText))
        {
            throw new FormatException("part without Content-Length");
        }

        var data = new byte[int.Parse(lengthText, CultureInfo.InvariantCulture)];
        await body.ReadExactlyAsync(data, cancellationToken);
        var end = await ReadLineAsync(cancellationToken);
        if (end.Length != 0)
        {
            throw new FormatException($"part body not followed by CRLF (got \"{end}\")");
        }

        return new Part(headers, data);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            await body.ReadExactlyAsync(_one, cancellationToken);
            if (_one[0] == '\n')
            {
                if (line.Length == 0 || line[^1] != '\r')
                {
                    throw new FormatException("bare LF in part headers");
                }

                return line.ToString(0, line.Length - 1);
            }

            line.Append((char)_one[0]);
            if (line.Length > 1000)
            {
                throw new FormatException("header line longer than 1000 bytes");
            }
        }
    }
}
