using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// Opens the TCP connection (and, for rtsps://, the TLS session) that an <see cref="RtspClientConnection"/>
/// runs on. Failures become <see cref="RtspClientException"/>s that name the host and port.
/// </summary>
internal static class RtspClientDialer
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>;
    /// with <paramref name="tls"/> (RFC 7826 §19.2) also authenticates the server against the
    /// system's trust store and <paramref name="host"/>. The socket is returned with the TLS
    /// stream over it, or null for plain RTSP.
    /// </summary>
    public static async Task<(Socket Socket, Stream? Secure)> DialAsync(string host, int port, TimeSpan timeout, bool tls, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new RtspClientException(string.Create(CultureInfo.InvariantCulture, $"connecting to {host}:{port} timed out after {timeout.TotalSeconds:0.#} s"));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new RtspClientException($"connecting to {host}:{port} failed: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream? secure = null;
        if (tls)
        {
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                socket.Dispose();
                throw new RtspClientException($"TLS with {host}:{port} failed: {e.Message}", e);
            }

            secure = ssl;
        }

        return (socket, secure);
    }
}
