using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// One RTSP/TCP connection: reads requests through a <see cref="PipeReader"/>, answers them in
/// order, and shares the socket with the RTP of its TCP-interleaved sessions. Writes go through
/// <see cref="SendAsync"/>, which serializes writers and disconnects a client whose socket accepts
/// nothing for <see cref="RtspServerOptions.SendStallTimeout"/>, or, from the stream's fan-out,
/// through <see cref="TrySendNow"/>, which never waits (RtspConnection.Writers.cs). It is held in the
/// server's <see cref="ConnectionBudget"/>, which may evict it for a newcomer while it holds nothing.
/// </summary>
internal sealed partial class RtspConnection : IDisposable, IBudgetedConnection
{
    /// <summary>Largest interleaved frame from the client that is read as RTCP (a compound RR is ~100 bytes); longer ones are skipped.</summary>
    private const int MaxRtcpFrameLength = 2048;

    private readonly RtspServer _server;
    private readonly Socket _socket;

    // The fan-out's direct writes use the descriptor under one reference held from here until the
    // connection is aborted and no direct write is under way (Abort), instead of a reference per write.
    private readonly SafeSocketHandle _socketHandle;
    private readonly int _fd;
    private bool _handleHeld;
    private readonly NetworkStream _stream;
    private readonly ILogger _logger;
    private readonly long _connectedAt = Stopwatch.GetTimestamp();
    private bool _refuse;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stallCts = new();
    private readonly ArrayBufferWriter<byte> _responseBuffer = new(1024);
    private readonly RtspResponse _response = new();
    private readonly RtspRequestHandler _handler;
    private readonly Lock _sessionsGate = new();
    private readonly List<RtspSession> _sessions = [];
    private readonly byte[] _rtcpBuffer = new byte[MaxRtcpFrameLength];
    private int _aborted;

    // 1 while a complete request is being served (a DESCRIBE may wait seconds for SPS/PPS): not evictable then.
    private int _serving;

    // Idle policy state, written by the read loop and read by the server's reap loop (Stopwatch ticks; 0 = unset).
    private long _lastRequest;
    private long _partialSince;

    public RtspConnection(RtspServer server, Socket socket, long id, ILogger logger)
    {
        _server = server;
        _socket = socket;
        _socketHandle = socket.SafeHandle;
        _socketHandle.DangerousAddRef(ref _handleHeld);
        _fd = (int)_socketHandle.DangerousGetHandle();
        _stream = new NetworkStream(socket, ownsSocket: true);
        _logger = logger;
        Id = id;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        _handler = new RtspRequestHandler(server, this, logger);
    }

    public long Id { get; }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <inheritdoc />
    public IPAddress RemoteAddress => RemoteEndPoint.Address;

    /// <summary>True for a connection over the limit: its requests are answered 503, then it is closed.</summary>
    public bool Refused => _refuse;

    public void AddSession(RtspSession session)
    {
        lock (_sessionsGate)
        {
            if (!_sessions.Contains(session))
            {
                _sessions.Add(session);
            }
        }
    }

    public void RemoveSession(RtspSession session)
    {
        lock (_sessionsGate)
        {
            _sessions.Remove(session);
        }
    }

    /// <summary>Reads and answers requests until the peer closes, an unrecoverable parse error, or <paramref name="cancellationToken"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.ConnectionAccepted(Id, RemoteEndPoint);
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 4096, leaveOpen: true));
        // Until the first complete request, reads are bounded by FirstRequestTimeout (idle or trickling
        // sockets); a refused connection only waits for a request to answer 503, so it gets the short one.
        using var firstRequest = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstRequestTimeout = _refuse ? _server.Options.PressureFirstRequestTimeout : _server.Options.FirstRequestTimeout;
        firstRequest.CancelAfter(firstRequestTimeout);
        var readToken = firstRequest.Token;
        try
        {
            var close = false;
            while (!close)
            {
                ReadResult result;
                try
                {
                    result = await reader.ReadAsync(readToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (firstRequest.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    _logger.FirstRequestTimedOut(Id, RemoteEndPoint, firstRequestTimeout.TotalSeconds);
                    break;
                }

                var buffer = result.Buffer;
                var progressed = false;
                while (!close)
                {
                    var status = RtspParser.TryParse(ref buffer, out var request, out var error, out var frame);
                    if (status == RtspParseResult.Incomplete)
                    {
                        break;
                    }

                    progressed = true;
                    if (status == RtspParseResult.InterleavedFrame)
                    {
                        OnInterleavedFrame(frame);
                        continue;
                    }

                    if (status == RtspParseResult.Complete)
                    {
                        readToken = cancellationToken;
                        Volatile.Write(ref _lastRequest, Stopwatch.GetTimestamp());
                    }

                    Volatile.Write(ref _serving, 1);
                    try
                    {
                        close = status == RtspParseResult.Error
                            ? await RespondToBadRequestAsync(error).ConfigureAwait(false)
                            : await HandleAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        Volatile.Write(ref _serving, 0);
                    }
                }

                // A message begun and not finished: the clock for PartialMessageTimeout starts at the
                // first read that leaves one (or restarts after a message completed in this read).
                if (buffer.IsEmpty)
                {
                    Volatile.Write(ref _partialSince, 0);
                }
                else if (progressed || Volatile.Read(ref _partialSince) == 0)
                {
                    Volatile.Write(ref _partialSince, Stopwatch.GetTimestamp());
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                close |= result.IsCompleted;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.ConnectionIoEnded(Id, ex);
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            Abort();
            await EndSessionsAsync().ConfigureAwait(false);
            Dispose();
            _logger.ConnectionClosed(Id);
        }
    }

    /// <summary>Closes the socket at once; pending reads and writes fail and the run loop cleans up.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer.
            }

            // No direct write uses the descriptor once this returns (they see _aborted from now on),
            // so the fan-out's reference goes before the close, which would spin until it went.
            WaitForDirectWrite();
            if (_handleHeld)
            {
                _handleHeld = false;
                _socketHandle.DangerousRelease();
            }

            _stream.Dispose();
        }
    }

    /// <summary>Aborts the socket and frees the connection's timers (the write lock has no wait handle to free).</summary>
    public void Dispose()
    {
        Abort();
        _stream.Dispose();
        _stallCts.Dispose();
        _restStallCts.Dispose();
    }

    /// <summary>RTCP from a TCP client on a session's odd channel: hand it to that session (bounded copy, no allocation).</summary>
    private void OnInterleavedFrame(in InterleavedFrame frame)
    {
        if (frame.Payload.Length > _rtcpBuffer.Length)
        {
            return;
        }

        RtspSession? target = null;
        lock (_sessionsGate)
        {
            foreach (var session in _sessions)
            {
                if (session.Transport is TcpInterleavedTransport tcp && tcp.Connection == this && tcp.RtcpChannel == frame.Channel)
                {
                    target = session;
                    break;
                }
            }
        }

        if (target is null)
        {
            return;
        }

        frame.Payload.CopyTo(_rtcpBuffer);
        target.Touch();
        target.OnRtcp(_rtcpBuffer.AsSpan(0, (int)frame.Payload.Length));
    }

    private async Task<bool> HandleAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        var response = _response.Reset(RtspStatus.Ok, request.CSeq);
        RtspSession? startAfterWrite = null;
        if (_refuse)
        {
            if (_server.RefusalLog.Count(1, out var refused))
            {
                _logger.ConnectionRefused(RemoteEndPoint, _server.Options.MaxConnections, refused);
            }

            response.StatusCode = RtspStatus.ServiceUnavailable;
        }
        else
        {
            try
            {
                startAfterWrite = await _handler.HandleAsync(request, response, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.HandlerFailed(Id, ex);
                response.Reset(RtspStatus.InternalServerError, request.CSeq);
            }
        }

        _logger.Request(Id, request.Method, request.Uri, response.StatusCode);
        if (!await WriteResponseAsync(response, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // RTP starts only once the PLAY response is on the wire (RFC 2326 §10.5: the response carries RTP-Info).
        startAfterWrite?.StartSending();
        return _refuse;
    }

    private async Task<bool> RespondToBadRequestAsync(RtspParseError error)
    {
        var status = error.Kind == RtspParseErrorKind.UnsupportedVersion ? RtspStatus.VersionNotSupported : RtspStatus.BadRequest;
        _logger.BadRequest(Id, error.Kind.ToString(), error.Resynchronized ? "continuing" : "closing");
        var written = await WriteResponseAsync(_response.Reset(status, null), CancellationToken.None).ConfigureAwait(false);
        return !written || !error.Resynchronized;
    }

    private ValueTask<bool> WriteResponseAsync(RtspResponse response, CancellationToken cancellationToken)
    {
        _responseBuffer.ResetWrittenCount();
        RtspResponseWriter.Write(_responseBuffer, response, _server.Options.ServerName, DateTimeOffset.UtcNow);
        return SendAsync(_responseBuffer.WrittenMemory, cancellationToken);
    }

    private async Task EndSessionsAsync()
    {
        RtspSession[] sessions;
        lock (_sessionsGate)
        {
            sessions = [.. _sessions];
            _sessions.Clear();
        }

        foreach (var session in sessions)
        {
            // UDP sessions may outlive the connection (RFC 2326 §3.4); they end by TEARDOWN or timeout.
            if (!session.IsUdp)
            {
                await _server.EndSessionAsync(session, "connection closed", sayBye: false).ConfigureAwait(false);
            }
        }
    }
}
