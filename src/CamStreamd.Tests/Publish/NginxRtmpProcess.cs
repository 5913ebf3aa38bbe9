using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// nginx with Debian's libnginx-mod-rtmp (unpacked by tests/nginx/fetch-nginx-rtmp.sh, never
/// installed) on a free loopback port with its own config: <c>rtmp://127.0.0.1:PORT/live/NAME</c>
/// takes one publisher per name and serves it to any number of players, starting them on a keyframe.
/// </summary>
internal sealed class NginxRtmpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxRtmpProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The RTMP port.</summary>
    public int Port { get; }

    /// <summary>nginx's error log so far.</summary>
    public string Log => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : string.Empty;

    /// <summary>The URL of stream <paramref name="name"/> in application <c>live</c>.</summary>
    public string Url(string name) => $"rtmp://127.0.0.1:{Port}/live/{name}";

    /// <summary>Fetches nginx-rtmp when needed and starts it in <paramref name="directory"/>.</summary>
    public static async Task<NginxRtmpProcess> StartAsync(string directory)
    {
        var script = Path.Combine(CLayoutProbe.RepositoryRoot, "tests", "nginx", "fetch-nginx-rtmp.sh");
        var fetch = await PeerProcess.RunAsync(script, [], TimeSpan.FromMinutes(5), "nginx libnginx-mod-rtmp (apt-get download)");
        Assert.True(fetch.ExitCode == 0, $"{script}: exit {fetch.ExitCode}\n{fetch.StandardError}");
        var root = fetch.StandardOutput.Trim();
        Directory.CreateDirectory(directory);
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            load_module {{root}}/usr/lib/nginx/modules/ngx_rtmp_module.so;
            daemon off;
            master_process off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log info;
            events { worker_connections 64; }
            rtmp {
                access_log off;
                server {
                    listen 127.0.0.1:{{port}};
                    application live { live on; wait_key on; wait_video on; }
                }
            }
            """));
        var info = new ProcessStartInfo(Path.Combine(root, "usr", "sbin", "nginx")) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-p", directory, "-c", config, "-e", Path.Combine(directory, "error.log")])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
        var nginx = new NginxRtmpProcess(process, directory, port);

        // Listening once a TCP connect succeeds (nginx-rtmp drops a connection that sends nothing).
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(process.HasExited, $"nginx exited with {(process.HasExited ? process.ExitCode : 0)}:\n{await process.StandardError.ReadToEndAsync()}\n{nginx.Log}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
