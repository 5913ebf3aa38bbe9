using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// One TCP connection of the pull client to an upstream RTSP server: sends requests one at a
/// time and matches responses by CSeq, while a read loop also hands interleaved RTP/RTCP frames
/// to an <see cref="IInterleavedReceiver"/> and answers the server's own keepalive requests.
/// Every wait has a timeout; a lost connection fails the pending request and completes <see cref="Closed"/>.
/// </summary>
public sealed class RtspClientConnection : IAsyncDisposable
{
    /// <summary>Longest wait for a response.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The User-Agent every request carries.</summary>
    public const string UserAgent = "camstreamd";

    // Interleaved frames are at most 64 KB; a frame split across pipe segments is copied here.
    private readonly byte[] _scratch = new byte[ushort.MaxValue];
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private TaskCompletionSource<RtspResponseMessage>? _pending;
    private int _pendingCSeq;
    private int _nextCSeq;
    private Task? _readLoop;
    private IInterleavedReceiver? _receiver;
    private Exception? _failure;
    private int _disposed;

    private RtspClientConnection(Socket socket, Stream? stream = null)
    {
        _socket = socket;
        _stream = stream ?? new NetworkStream(socket, ownsSocket: false);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
    }

    /// <summary>Completes when the connection ended (server closed it, error, or dispose).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Why the connection ended, or null.</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>The local end (for logs).</summary>
    public System.Net.EndPoint? LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>The server's address.</summary>
    public System.Net.IPAddress RemoteAddress => ((System.Net.IPEndPoint)_socket.RemoteEndPoint!).Address;

    /// <summary>Session id sent with every request once set (after SETUP).</summary>
    public string? SessionId { get; set; }

    /// <summary>Credentials answered after a 401, or null.</summary>
    public ClientAuthorizer? Authorizer { get; set; }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    public static Task<RtspClientConnection> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken) =>
        ConnectAsync(host, port, timeout, tls: false, cancellationToken);

    /// <summary>
    /// Connects as <see cref="ConnectAsync(string, int, TimeSpan, CancellationToken)"/>; with
    /// <paramref name="tls"/> (rtsps://, RFC 7826 §19.2) the connection is TLS, the server's
    /// certificate checked against the system's trust store and <paramref name="host"/>.
    /// </summary>
    public static async Task<RtspClientConnection> ConnectAsync(string host, int port, TimeSpan timeout, bool tls, CancellationToken cancellationToken)
    {
        var (socket, secure) = await RtspClientDialer.DialAsync(host, port, timeout, tls, cancellationToken).ConfigureAwait(false);
        var connection = new RtspClientConnection(socket, secure);
        connection._readLoop = Task.Run(connection.ReadLoopAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>Sends interleaved frames (RTP/RTCP) to this receiver from now on.</summary>
    public void SetReceiver(IInterleavedReceiver receiver) => Volatile.Write(ref _receiver, receiver);

    /// <summary>
    /// Sends <paramref name="method"/> on <paramref name="uri"/> with <paramref name="headers"/> and
    /// returns the response. When the server answers 401 and an <see cref="Authorizer"/> can answer
    /// its challenge (first time, or a stale nonce), the request is sent once more with credentials.
    /// </summary>
    public Task<RtspResponseMessage> SendAsync(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers, Func<ClientAuthorizer?>? authorizerForChallenge, CancellationToken cancellationToken) =>
        SendCoreAsync(method, uri, headers, default, authorizerForChallenge, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync"/>, with a body (a publisher's ANNOUNCE carries its SDP): the
    /// <paramref name="headers"/> must include Content-Type; Content-Length is added here.
    /// </summary>
    public Task<RtspResponseMessage> SendWithBodyAsync(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers, ReadOnlyMemory<byte> body, Func<ClientAuthorizer?>? authorizerForChallenge, CancellationToken cancellationToken) =>
        SendCoreAsync(method, uri, headers, body, authorizerForChallenge, cancellationToken);

    /// <summary>
    /// Writes wire-ready bytes (a publisher's interleaved RTP frames) in one write, between
    /// requests. <paramref name="cancellationToken"/> bounds the wait: the caller passes a reusable
    /// timeout, so nothing is allocated per frame.
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<RtspResponseMessage> SendCoreAsync(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers, ReadOnlyMemory<byte> body, Func<ClientAuthorizer?>? authorizerForChallenge, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(method, uri, headers, body, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != RtspStatus.Unauthorized)
        {
            return response;
        }

        var challenge = AuthChallenge.Choose(response.Headers.Where(h => h.Key.Equals("WWW-Authenticate", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value));
        if (challenge is null)
        {
            return response;
        }

        var hadChallenge = Authorizer?.HasChallenge == true;
        Authorizer ??= authorizerForChallenge?.Invoke();
        if (Authorizer is null || (hadChallenge && !challenge.Stale))
        {
            // No credentials, or these credentials were already refused.
            return response;
        }

        Authorizer.Accept(challenge);
        return await SendOnceAsync(method, uri, headers, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one interleaved frame ('$', channel, length, data).</summary>
    public async ValueTask SendInterleavedAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var frame = ArrayPool<byte>.Shared.Rent(4 + data.Length);
        try
        {
            frame[0] = WireBytes.Dollar;
            frame[1] = channel;
            frame[2] = (byte)(data.Length >> 8);
            frame[3] = (byte)data.Length;
            data.Span.CopyTo(frame.AsSpan(4));
            await WriteAsync(frame.AsMemory(0, 4 + data.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (_readLoop is not null)
        {
            await _readLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _closing.Dispose();
    }

    private async Task<RtspResponseMessage> SendOnceAsync(string method, string uri, IEnumerable<KeyValuePair<string, string>>? headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<RtspResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        int cseq;
        lock (_gate)
        {
            if (_failure is { } failure)
            {
                throw new RtspClientException($"{method}: the connection is closed ({failure.Message})", failure);
            }

            if (_pending is not null)
            {
                throw new InvalidOperationException("one RTSP request at a time");
            }

            cseq = ++_nextCSeq;
            _pending = pending;
            _pendingCSeq = cseq;
        }

        var sb = new StringBuilder(256);
        sb.Append(CultureInfo.InvariantCulture, $"{method} {uri} RTSP/1.0\r\nCSeq: {cseq}\r\nUser-Agent: {UserAgent}\r\n");
        if (SessionId is { } session)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Session: {session}\r\n");
        }

        if (Authorizer?.Authorize(method, uri) is { } authorization)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Authorization: {authorization}\r\n");
        }

        foreach (var (name, value) in headers ?? [])
        {
            sb.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        if (!body.IsEmpty)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        sb.Append("\r\n");
        try
        {
            var head = System.Text.Encoding.UTF8.GetBytes(sb.ToString());
            var message = body.IsEmpty ? head : [.. head, .. body.Span];
            await WriteAsync(message, cancellationToken).ConfigureAwait(false);
            return await pending.Task.WaitAsync(ResponseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new RtspClientException(string.Create(CultureInfo.InvariantCulture, $"{method}: no response within {ResponseTimeout.TotalSeconds:0} s"));
        }
        catch (IOException e)
        {
            throw new RtspClientException($"{method}: sending failed ({e.Message})", e);
        }
        finally
        {
            lock (_gate)
            {
                if (_pending == pending)
                {
                    _pending = null;
                }
            }
        }
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        cts.CancelAfter(ResponseTimeout);
        await _writeLock.WaitAsync(cts.Token).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            throw new IOException("the server did not take our bytes within the timeout");
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception failure;
        try
        {
            while (true)
            {
                var read = await _reader.ReadAsync(_closing.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (true)
                {
                    var result = RtspResponseParser.TryParse(ref buffer, out var response, out var request, out var frame, out var error);
                    if (result == RtspResponseParseResult.Incomplete)
                    {
                        break;
                    }

                    switch (result)
                    {
                        case RtspResponseParseResult.Error:
                            throw new RtspClientException($"the server sent a malformed message ({error})");
                        case RtspResponseParseResult.InterleavedFrame:
                            Deliver(frame);
                            break;
                        case RtspResponseParseResult.Response:
                            Complete(response);
                            break;
                        case RtspResponseParseResult.Request:
                            await AnswerServerRequestAsync(request).ConfigureAwait(false);
                            break;
                    }
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    throw new RtspClientException("the server closed the connection");
                }
            }
        }
        catch (OperationCanceledException) when (_closing.IsCancellationRequested)
        {
            failure = new RtspClientException("the connection was closed");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            failure = new RtspClientException($"the connection broke ({e.Message})", e);
        }
        catch (RtspClientException e)
        {
            failure = e;
        }

        TaskCompletionSource<RtspResponseMessage>? pending;
        lock (_gate)
        {
            _failure = failure;
            pending = _pending;
        }

        pending?.TrySetException(new RtspClientException(failure.Message, failure));
        _closed.TrySetResult();
    }

    private void Deliver(in InterleavedFrame frame)
    {
        var receiver = Volatile.Read(ref _receiver);
        if (receiver is null)
        {
            return;
        }

        var payload = frame.Payload;
        if (payload.IsSingleSegment)
        {
            receiver.OnInterleaved(frame.Channel, payload.FirstSpan);
            return;
        }

        payload.CopyTo(_scratch);
        receiver.OnInterleaved(frame.Channel, _scratch.AsSpan(0, (int)payload.Length));
    }

    private void Complete(RtspResponseMessage response)
    {
        TaskCompletionSource<RtspResponseMessage>? pending = null;
        lock (_gate)
        {
            // Some cameras leave CSeq out of responses; with one request in flight that one is answered.
            if (_pending is not null && (response.CSeq == _pendingCSeq || response.CSeq is null))
            {
                pending = _pending;
                _pending = null;
            }
        }

        // A response to nothing we wait for (a late one after a timeout) is ignored.
        pending?.TrySetResult(response);
    }

    /// <summary>Servers may probe clients (RFC 2326 §10.8, §10.9): OPTIONS and GET_PARAMETER get 200, anything else 501.</summary>
    private async ValueTask AnswerServerRequestAsync(RtspRequest request)
    {
        var status = request.Method is "OPTIONS" or "GET_PARAMETER" ? "200 OK" : "501 Not Implemented";
        var reply = string.Create(CultureInfo.InvariantCulture, $"RTSP/1.0 {status}\r\nCSeq: {request.CSeq ?? 0}\r\n\r\n");
        await WriteAsync(System.Text.Encoding.ASCII.GetBytes(reply), _closing.Token).ConfigureAwait(false);
    }
}
