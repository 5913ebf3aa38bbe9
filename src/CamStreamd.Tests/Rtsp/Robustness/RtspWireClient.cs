using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StringBuilder = System.Text.StringBuilder;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>
/// A raw RTSP/TCP client for abuse tests: Nagle off (one write, one segment, so byte-by-byte
/// sends really arrive byte by byte), reads that skip or collect interleaved frames, a hard
/// reset (RST) instead of a close, and a bounded timeout on every read and write.
/// </summary>
internal sealed class RtspWireClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RtspWireClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>A full response: status, headers (last value wins), body.</summary>
    public sealed record Response(int Status, Dictionary<string, string> Headers, string Body)
    {
        public string? this[string name] => Headers.TryGetValue(name, out var value) ? value : null;

        public int? CSeq => this["CSeq"] is { } cseq ? int.Parse(cseq, CultureInfo.InvariantCulture) : null;

        public string Session => this["Session"]!.Split(';')[0];
    }

    /// <summary>RTP packets (even channels) read while waiting for responses.</summary>
    public int RtpFramesSkipped { get; private set; }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, from <paramref name="from"/> (another 127.x.y.z plays another host) when given.</summary>
    public static async Task<RtspWireClient> ConnectAsync(int port, int? receiveBufferSize = null, IPAddress? from = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        if (from is not null)
        {
            socket.Bind(new IPEndPoint(from, 0));
        }

        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new RtspWireClient(socket);
    }

    /// <summary>A request's bytes: request line, CSeq, the given header lines, blank line, body.</summary>
    public static string Request(string method, string uri, int cseq, params string[] headers)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{method} {uri} RTSP/1.0\r\nCSeq: {cseq}\r\n");
        foreach (var header in headers)
        {
            sb.Append(header).Append("\r\n");
        }

        return sb.Append("\r\n").ToString();
    }

    /// <summary>An interleaved frame (RFC 2326 §10.12): '$', channel, 16-bit length, data.</summary>
    public static byte[] Interleaved(byte channel, ReadOnlySpan<byte> data)
    {
        var frame = new byte[4 + data.Length];
        frame[0] = (byte)'$';
        frame[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)data.Length);
        data.CopyTo(frame.AsSpan(4));
        return frame;
    }

    public Task SendAsync(string text) => SendAsync(System.Text.Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
    }

    /// <summary>Sends one byte per write (each its own TCP segment), yielding between them.</summary>
    public Task SendByteByByteAsync(string text) => SendByteByByteAsync(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Sends one byte per write (each its own TCP segment), yielding between them.</summary>
    public async Task SendByteByByteAsync(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            await SendAsync(bytes.AsMemory(i, 1));
            await Task.Delay(1);
        }
    }

    /// <summary>Sends a request and reads its response (skipping interleaved frames).</summary>
    public async Task<Response> RequestAsync(string method, string uri, int cseq, params string[] headers)
    {
        await SendAsync(Request(method, uri, cseq, headers));
        var response = await ReadResponseAsync() ?? throw new IOException($"connection closed before the {method} response");
        Assert.Equal(cseq, response.CSeq);
        return response;
    }

    /// <summary>The next response, skipping interleaved frames; null when the server closed (or reset) the connection.</summary>
    public async Task<Response?> ReadResponseAsync()
    {
        while (true)
        {
            if (!await FillAsync(1))
            {
                return null;
            }

            if (_buffer[_start] == (byte)'$')
            {
                if (await ReadFrameAsync() is null)
                {
                    return null;
                }

                continue;
            }

            var head = new List<byte>();
            while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
            {
                if (!await FillAsync(1))
                {
                    return null;
                }

                head.Add(_buffer[_start++]);
            }

            var lines = System.Text.Encoding.UTF8.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("RTSP/1.0 ", lines[0], StringComparison.Ordinal);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }

            var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, CultureInfo.InvariantCulture) : 0;
            if (!await FillAsync(length))
            {
                return null;
            }

            var body = System.Text.Encoding.UTF8.GetString(_buffer, _start, length);
            _start += length;
            return new Response(int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture), headers, body);
        }
    }

    /// <summary>The next interleaved frame; null when the connection ended or a response came instead.</summary>
    public async Task<(byte Channel, byte[] Data)?> ReadFrameAsync()
    {
        if (!await FillAsync(4) || _buffer[_start] != (byte)'$')
        {
            return null;
        }

        var channel = _buffer[_start + 1];
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2));
        if (!await FillAsync(4 + length))
        {
            return null;
        }

        var data = _buffer.AsSpan(_start + 4, length).ToArray();
        _start += 4 + length;
        RtpFramesSkipped += channel % 2 == 0 ? 1 : 0;
        return (channel, data);
    }

    /// <summary>True when the server has closed the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            while (true)
            {
                _start = _end = 0;
                if (await _stream.ReadAsync(_buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Closes with a TCP RST (linger on, zero timeout), as a crashing or unplugged client does.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Ensures <paramref name="count"/> unread bytes are buffered; false at end of stream or reset.</summary>
    private async Task<bool> FillAsync(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
        _end -= _start;
        _start = 0;
        using var cts = new CancellationTokenSource(Timeout);
        while (_end < count)
        {
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
            }
            catch (IOException)
            {
                return false;
            }

            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
