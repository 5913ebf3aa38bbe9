using System.Net.Sockets;

namespace CamStreamd.Tests.Hosting;

/// <summary>
/// The systemd side of sd_notify for tests: a bound AF_UNIX datagram socket, by path (in a temp
/// directory) or in the abstract namespace; <see cref="SocketName"/> is what goes into NOTIFY_SOCKET.
/// </summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? _directory;

    public NotifyListener(bool @abstract)
    {
        if (@abstract)
        {
            SocketName = $"@camstreamd-test-{Guid.NewGuid():N}";
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + SocketName[1..]));
        }
        else
        {
            _directory = Directory.CreateTempSubdirectory("camstreamd-notify-").FullName;
            SocketName = Path.Combine(_directory, "notify");
            _socket.Bind(new UnixDomainSocketEndPoint(SocketName));
        }
    }

    public string SocketName { get; }

    /// <summary>The next datagram, or null after <paramref name="timeout"/>.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[8192];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Datagrams until one contains <paramref name="line"/> (a whole line), within <paramref name="timeout"/>; all of them, in order.</summary>
    public async Task<List<string>> ReceiveUntilAsync(string line, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var received = new List<string>();
        while (DateTime.UtcNow < deadline)
        {
            var message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null)
            {
                break;
            }

            received.Add(message);
            if (message.Split('\n').Contains(line))
            {
                return received;
            }
        }

        Assert.Fail($"no {line} within {timeout}; received:\n{string.Join("\n--\n", received)}");
        return received;
    }

    /// <summary>Every datagram already queued, without waiting.</summary>
    public List<string> Drain()
    {
        var messages = new List<string>();
        var buffer = new byte[8192];
        while (_socket.Available > 0)
        {
            var read = _socket.Receive(buffer);
            messages.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }

        return messages;
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
