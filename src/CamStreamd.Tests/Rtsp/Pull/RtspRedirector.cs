using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// A minimal RTSP server on a loopback port whose only job is to redirect (RFC 2326 §11.3.3):
/// OPTIONS gets 200, DESCRIBE gets 302 with <c>Location</c> set to the target, anything else 455.
/// gst-rtsp-server cannot be told to redirect, so the redirect test uses this in front of it.
/// </summary>
internal sealed class RtspRedirector : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _location;
    private readonly Task _accept;
    private int _redirects;

    public RtspRedirector(string location)
    {
        _location = location;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The URL that redirects.</summary>
    public string Url => $"rtsp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/cam";

    /// <summary>DESCRIBE requests answered with 302.</summary>
    public int Redirects => Volatile.Read(ref _redirects);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accept.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var pending = new List<byte>();
            var buffer = new byte[4096];
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(30));
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    pending.AddRange(buffer.AsSpan(0, read));
                    var sequence = new ReadOnlySequence<byte>(pending.ToArray());
                    while (RtspParser.TryParse(ref sequence, out var request, out _) == RtspParseResult.Complete)
                    {
                        var reply = request.Method switch
                        {
                            "OPTIONS" => "200 OK\r\nPublic: OPTIONS, DESCRIBE",
                            "DESCRIBE" => $"302 Moved Temporarily\r\nLocation: {_location}",
                            _ => "455 Method Not Valid in This State",
                        };
                        if (request.Method == "DESCRIBE")
                        {
                            Interlocked.Increment(ref _redirects);
                        }

                        var text = string.Create(CultureInfo.InvariantCulture, $"RTSP/1.0 {reply}\r\nCSeq: {request.CSeq}\r\n\r\n");
                        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), timeout.Token);
                    }

                    pending = [.. sequence.ToArray()];
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client left or the test ended.
            }
        }
    }
}
