using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Rtsp.Client;
using CamStreamd.Rtsp.Protocol;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Publish;

/// <summary>
/// One RTSP publishing session (RFC 2326 §10.3, §10.11, mode=record): ANNOUNCE with our SDP, SETUP
/// of the H.264 track with <c>mode=record</c> over TCP interleaved or UDP, RECORD, then the
/// stream's RTP exactly as the hub built it for viewers (one write per access unit over TCP, one
/// <c>send</c> per packet over UDP); OPTIONS keepalives within the session timeout; TEARDOWN when
/// disposed. Basic and Digest are answered by the shared client connection.
/// </summary>
internal sealed class RtspPublishConnection : IPublishConnection
{
    /// <summary>Longest wait for one access unit to be taken by the server.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The rtsps:// default port (RFC 7826 §19.2).</summary>
    public const int TlsDefaultPort = 322;

    private readonly RtspClientConnection _connection;
    private readonly RtpUdpSender? _udp;
    private readonly string _url;
    private readonly byte _rtpChannel;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _writeTimeout = new();
    private readonly Task _keepalive;
    private readonly Task _closed;
    private byte[] _patched = [];
    private Exception? _failure;

    private RtspPublishConnection(RtspClientConnection connection, RtpUdpSender? udp, string url, byte rtpChannel, int sessionTimeoutSeconds)
    {
        _connection = connection;
        _udp = udp;
        _url = url;
        _rtpChannel = rtpChannel;
        _stop.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), _writeTimeout);
        _keepalive = KeepaliveAsync(TimeSpan.FromSeconds(Math.Max(1, sessionTimeoutSeconds / 2.0)));
        _closed = Task.WhenAny(connection.Closed, _keepalive);
    }

    /// <inheritdoc/>
    public Task Closed => _closed;

    /// <inheritdoc/>
    public Exception? Failure => Volatile.Read(ref _failure) ?? _connection.Failure;

    /// <summary>Connects to the target and brings the session to RECORD.</summary>
    public static async Task<RtspPublishConnection> OpenAsync(PublishTargetOptions target, StreamDescription description, string stream, ILogger logger, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        // rtsps:// (RFC 7826 §19.2, default port 322): the same exchange inside TLS.
        var tls = target.Url!.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase);
        var plain = tls ? "rtsp://" + target.Url!["rtsps://".Length..] : target.Url!;
        if (tls && Uri.TryCreate(target.Url, UriKind.Absolute, out var given) && given.IsDefaultPort)
        {
            plain = new UriBuilder(plain) { Port = TlsDefaultPort }.Uri.OriginalString;
        }

        if (!RtspUrl.TryParse(plain, out var url, out var reason))
        {
            throw new PublishException(reason);
        }

        if (tls)
        {
            url = url with { RequestUrl = "rtsps://" + url.RequestUrl["rtsp://".Length..] };
        }

        var user = target.Username ?? url.Username;
        var password = target.Password ?? url.Password ?? string.Empty;
        Func<ClientAuthorizer?> credentials = () => user is null ? null : new ClientAuthorizer(user, password);
        var shown = ConfigRedactor.RedactUrl(url.RequestUrl)!;
        var connection = await RtspClientConnection.ConnectAsync(url.Host, url.Port, connectTimeout, tls, cancellationToken).ConfigureAwait(false);
        RtpUdpSender? udp = null;
        try
        {
            var local = (connection.LocalEndPoint as IPEndPoint)?.Address ?? IPAddress.Loopback;
            var sdp = SdpBuilder.Build(description, stream, local, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 1);
            PublishLog.Announced(logger, stream, shown, sdp);
            var announce = await connection.SendWithBodyAsync("ANNOUNCE", url.RequestUrl, [new("Content-Type", "application/sdp")], System.Text.Encoding.UTF8.GetBytes(sdp), credentials, cancellationToken).ConfigureAwait(false);
            Require(announce, "ANNOUNCE", shown);

            // The track's control is resolved against the announced URL, as the server resolves our SDP's a=control.
            var control = RtspUrl.ResolveControl(url.RequestUrl, SdpBuilder.TrackControl);
            var server = connection.RemoteAddress.IsIPv4MappedToIPv6 ? connection.RemoteAddress.MapToIPv4() : connection.RemoteAddress;
            if (target.Transport == "udp")
            {
                udp = RtpUdpSender.Open(server.AddressFamily);
            }

            var transport = udp is null
                ? "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"
                : string.Create(CultureInfo.InvariantCulture, $"RTP/AVP;unicast;client_port={udp.RtpPort}-{udp.RtpPort + 1};mode=record");
            var setup = await connection.SendAsync("SETUP", control, [new("Transport", transport)], credentials, cancellationToken).ConfigureAwait(false);
            Require(setup, "SETUP", shown);
            if (setup.Headers["Session"] is not { } sessionText || !SessionHeader.TryParse(sessionText, out var session))
            {
                throw new PublishException($"SETUP {shown}: the reply has no valid Session header");
            }

            connection.SessionId = session.Id;
            var alternatives = TransportHeader.ParseAll(setup.Headers["Transport"] ?? string.Empty);
            var reply = alternatives.Count > 0 ? alternatives[0] : null;
            byte channel = 0;
            if (udp is null)
            {
                if (reply is { LowerTransport: not RtspLowerTransport.Tcp })
                {
                    throw new PublishException($"SETUP {shown}: asked for TCP interleaved, the server chose {reply}");
                }

                channel = (byte)(reply?.Interleaved?.Rtp ?? 0);
            }
            else
            {
                if (reply is not { LowerTransport: RtspLowerTransport.Udp, ServerPort: { } ports })
                {
                    throw new PublishException($"SETUP {shown}: asked for UDP, the server gave no server_port ({reply?.ToString() ?? "no Transport"})");
                }

                udp.Connect(new IPEndPoint(server, ports.Rtp));
            }

            var record = await connection.SendAsync("RECORD", url.RequestUrl, [new("Range", "npt=0.000-")], credentials, cancellationToken).ConfigureAwait(false);
            Require(record, "RECORD", shown);
            var timeout = session.TimeoutSeconds is > 0 ? session.TimeoutSeconds.Value : RtspPullSession.DefaultSessionTimeoutSeconds;
            return new RtspPublishConnection(connection, udp, url.RequestUrl, channel, timeout);
        }
        catch
        {
            udp?.Dispose();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> SendAsync(AccessUnit unit, CancellationToken cancellationToken)
    {
        var rtp = unit.Rtp;
        if (_udp is not null)
        {
            var bytes = 0;
            for (var i = 0; i < rtp.PacketCount; i++)
            {
                bytes += _udp.Send(rtp.GetPacket(i));
            }

            return bytes;
        }

        var block = rtp.InterleavedMemory;
        if (_rtpChannel != 0)
        {
            block = PatchChannel(rtp);
        }

        // One reusable timeout for every write: nothing allocated per frame.
        _writeTimeout.CancelAfter(WriteTimeout);
        try
        {
            await _connection.SendRawAsync(block, _writeTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PublishException(string.Create(CultureInfo.InvariantCulture, $"the server took no data for {WriteTimeout.TotalSeconds:0} s"));
        }

        if (!_writeTimeout.TryReset())
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return block.Length;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_connection.Failure is null && _connection.SessionId is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _connection.SendAsync("TEARDOWN", _url, null, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RtspClientException or OperationCanceledException or IOException or InvalidOperationException)
            {
                // Best effort: the server ends the session on its timeout anyway.
            }
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _keepalive.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _udp?.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _writeTimeout.Dispose();
    }

    private static void Require(RtspResponseMessage response, string method, string url)
    {
        if (!response.IsSuccess)
        {
            var hint = response.StatusCode == RtspStatus.Unauthorized ? " (check the target's username and password)" : string.Empty;
            throw new PublishException($"{method} {url}: the server answered {response}{hint}");
        }
    }

    /// <summary>The block with every interleaved header's channel byte set to ours (a server that chose another channel).</summary>
    private ReadOnlyMemory<byte> PatchChannel(Media.WirePacketBlock rtp)
    {
        if (_patched.Length < rtp.Length)
        {
            _patched = new byte[rtp.Length * 2];
        }

        rtp.InterleavedBytes.CopyTo(_patched);
        for (var offset = 0; offset + Media.WirePacketBlock.InterleavedHeaderLength <= rtp.Length;)
        {
            _patched[offset + 1] = _rtpChannel;
            offset += Media.WirePacketBlock.InterleavedHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(_patched.AsSpan(offset + 2, 2));
        }

        return _patched.AsMemory(0, rtp.Length);
    }

    /// <summary>OPTIONS within the session timeout (every server answers it; RFC 2326 §10.1 allows it at any time).</summary>
    private async Task KeepaliveAsync(TimeSpan interval)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, _stop.Token).ConfigureAwait(false);
                var response = await _connection.SendAsync("OPTIONS", _url, null, null, _stop.Token).ConfigureAwait(false);
                if (response.StatusCode is >= 400 and not (RtspStatus.NotImplemented or RtspStatus.MethodNotAllowed))
                {
                    throw new PublishException($"keepalive OPTIONS: the server answered {response}");
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is RtspClientException or PublishException)
        {
            Volatile.Write(ref _failure, e);
        }
    }
}
