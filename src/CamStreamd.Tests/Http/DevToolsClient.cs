using System.ComponentModel;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CamStreamd.Tests.Http;

/// <summary>
/// Headless Chromium (Debian package <c>chromium</c>) opened on one URL and driven over the
/// DevTools protocol (a JSON-RPC WebSocket): evaluate JavaScript, take screenshots. The browser's
/// process tree and profile directory go away on dispose.
/// </summary>
internal sealed class DevToolsClient : IAsyncDisposable
{
    private readonly Process _browser;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private DevToolsClient(Process browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Starts Chromium on <paramref name="url"/> and connects to its page.</summary>
    public static async Task<DevToolsClient> OpenAsync(Uri url, CancellationToken cancellationToken, params string[] extraArguments)
    {
        var profile = Directory.CreateTempSubdirectory("camstreamd-chromium-").FullName;
        var info = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // TESTING.md's flags, plus a fixed window and a DevTools port chosen by the browser.
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", "--window-size=1200,900",
        }.Concat(extraArguments).Append(url.ToString()))
        {
            info.ArgumentList.Add(arg);
        }

        Process browser;
        try
        {
            browser = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        }
        catch (Win32Exception e)
        {
            Directory.Delete(profile, recursive: true);
            throw new InvalidOperationException($"'chromium' could not be run ({e.Message}): install the Debian package chromium", e);
        }

        browser.OutputDataReceived += (_, _) => { };
        browser.ErrorDataReceived += (_, _) => { };
        browser.BeginOutputReadLine();
        browser.BeginErrorReadLine();
        var client = new DevToolsClient(browser, profile);
        try
        {
            await client.ConnectAsync(url, cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"page script failed: {exception.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    /// <summary>A PNG screenshot of the page area <paramref name="x"/>, <paramref name="y"/>, <paramref name="width"/>, <paramref name="height"/> (CSS pixels).</summary>
    public async Task<byte[]> ScreenshotAsync(double x, double y, double width, double height, CancellationToken cancellationToken)
    {
        var clip = new JsonObject { ["x"] = x, ["y"] = y, ["width"] = width, ["height"] = height, ["scale"] = 1 };
        var result = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["clip"] = clip }, cancellationToken);
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            if (!_browser.HasExited)
            {
                _browser.Kill(entireProcessTree: true);
                await _browser.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _browser.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // A browser child still writing; the temp directory is cleaned later.
            }
        }
    }

    private async Task ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        // Chromium writes "PORT\n/devtools/browser/ID" once it listens.
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile, cancellationToken)).Length < 2)
        {
            if (_browser.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {_browser.ExitCode} before DevTools listened");
            }

            await Task.Delay(100, cancellationToken);
        }

        var port = int.Parse((await File.ReadAllLinesAsync(portFile, cancellationToken))[0], System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        string? target = null;
        while (target is null)
        {
            var pages = JsonNode.Parse(await http.GetStringAsync("json/list", cancellationToken))!.AsArray();
            target = pages.FirstOrDefault(p => p?["type"]?.GetValue<string>() == "page" && p["url"]?.GetValue<string>().StartsWith(url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal) == true)?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (target is null)
            {
                await Task.Delay(100, cancellationToken);
            }
        }

        await _socket.ConnectAsync(new Uri(target), cancellationToken);
    }

    private async Task<JsonNode> CallAsync(string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var id = ++_nextId;
        var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, cancellationToken);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);

            var reply = JsonNode.Parse(message.ToArray())!;
            if (reply["id"]?.GetValue<int>() != id)
            {
                continue; // An event.
            }

            if (reply["error"] is { } error)
            {
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            }

            return reply["result"]!;
        }
    }
}
