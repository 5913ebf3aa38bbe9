using System.Buffers.Binary;
using System.Net.Sockets;
using StringBuilder = System.Text.StringBuilder;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>A hand-driven RTSP client over a raw TCP socket, for protocol-level tests.</summary>
internal sealed class RawRtspClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _cseq;
    private int? _peeked;

    public RawRtspClient(int port, int? receiveBufferSize = null)
    {
        _tcp = new TcpClient();
        if (receiveBufferSize is { } size)
        {
            _tcp.ReceiveBufferSize = size;
        }

        _tcp.Connect("127.0.0.1", port);
        _stream = _tcp.GetStream();
    }

    public sealed record Response(int Status, Dictionary<string, string> Headers, string Body)
    {
        public string? this[string name] => Headers.TryGetValue(name, out var v) ? v : null;
    }

    public Task SendRawAsync(string text) => SendRawAsync(System.Text.Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    public async Task<Response> RequestAsync(string method, string uri, params string[] headers)
    {
        var sb = new StringBuilder($"{method} {uri} RTSP/1.0\r\nCSeq: {++_cseq}\r\n");
        foreach (var h in headers)
        {
            sb.Append(h).Append("\r\n");
        }

        await SendRawAsync(sb.Append("\r\n").ToString());
        var response = await ReadResponseAsync() ?? throw new IOException("connection closed");
        Assert.Equal(_cseq.ToString(System.Globalization.CultureInfo.InvariantCulture), response["CSeq"]);
        return response;
    }

    /// <summary>Reads one response; null when the server closed the connection first.</summary>
    public async Task<Response?> ReadResponseAsync()
    {
        var head = new List<byte>();
        while (!EndsWithBlankLine(head))
        {
            var b = await ReadByteAsync();
            if (b < 0)
            {
                return null;
            }

            head.Add((byte)b);
        }

        var lines = System.Text.Encoding.UTF8.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        var body = new byte[headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0];
        await ReadExactlyAsync(body);
        return new Response(status, headers, System.Text.Encoding.UTF8.GetString(body));
    }

    /// <summary>Reads one interleaved frame ('$', channel, length, data).</summary>
    public async Task<(int Channel, byte[] Data)> ReadInterleavedAsync()
    {
        var header = new byte[4];
        await ReadExactlyAsync(header);
        Assert.Equal(0x24, header[0]);
        var data = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2))];
        await ReadExactlyAsync(data);
        return (header[1], data);
    }

    /// <summary>Reads the next byte and keeps it for the next read.</summary>
    public async Task<int> PeekByteAsync()
    {
        _peeked ??= await ReadByteAsync();
        return _peeked.Value;
    }

    public void Dispose() => _tcp.Dispose();

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private async Task<int> ReadByteAsync()
    {
        if (_peeked is { } p)
        {
            _peeked = null;
            return p;
        }

        var one = new byte[1];
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            return await _stream.ReadAsync(one, cts.Token) == 0 ? -1 : one[0];
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private async Task ReadExactlyAsync(byte[] buffer)
    {
        if (buffer.Length > 0 && _peeked is { } p)
        {
            _peeked = null;
            buffer[0] = (byte)p;
            using var c = new CancellationTokenSource(Timeout);
            await _stream.ReadExactlyAsync(buffer.AsMemory(1), c.Token);
            return;
        }

        using var cts = new CancellationTokenSource(Timeout);
        await _stream.ReadExactlyAsync(buffer, cts.Token);
    }
}
