using System.CommandLine;
using CamStreamd.Hosting;

namespace CamStreamd;

/// <summary>Entry point: the command line, wiring only.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static Task<int> Main(string[] args)
    {
        var config = new Option<string?>("--config", "-c")
        {
            Description = $"Configuration file (default: {Configuration.ConfigLoader.DefaultPath} when it exists, else the embedded default)",
            HelpName = "PATH",
            Recursive = true,
        };

        var checkConfig = new Command("check-config", "Validate and print the effective configuration; exit 0, or 78 when invalid");
        checkConfig.SetAction(result => ConfigCheck.Run(result.GetValue(config), Console.Out, Console.Error));

        var encoders = new Command("encoders", "Probe the H.264 encoder engines (as encoder.engine auto does) and print which are usable and why; exit 0");
        encoders.SetAction(result => Encoding.EncodersCommand.Run(result.GetValue(config), Console.Out, Console.Error));

        // bench/encode.sh's C# half; not for users.
        var benchInput = new Argument<string>("raw-i420-file");
        var benchSize = new Option<string>("--size") { DefaultValueFactory = _ => "1280x720" };
        var benchThreads = new Option<int>("--threads") { DefaultValueFactory = _ => 0 };
        var benchEngine = new Option<string>("--engine") { DefaultValueFactory = _ => "x264" };
        var benchEncode = new Command("bench-encode", "Encode raw I420 frames from a file and print fps and latency") { Hidden = true };
        benchEncode.Arguments.Add(benchInput);
        benchEncode.Options.Add(benchSize);
        benchEncode.Options.Add(benchThreads);
        benchEncode.Options.Add(benchEngine);
        benchEncode.SetAction(result =>
        {
            var size = result.GetValue(benchSize)!.Split('x');
            return Encoding.EncodeBenchmark.Run(
                result.GetValue(benchInput)!, int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(size[1], System.Globalization.CultureInfo.InvariantCulture), fps: 30, bitrate: 3_000_000, gop: 60,
                result.GetValue(benchThreads), result.GetValue(benchEngine)!, Console.Out);
        });

        var devices = new Command("devices", "List the V4L2 capture devices with their formats, sizes and frame rates; exit 0");
        devices.SetAction(_ =>
        {
            Capture.V4l2DeviceReport.Write(Interop.V4l2.V4l2DeviceProvider.Instance, Console.Out);
            return ExitCodes.Ok;
        });

        var root = new RootCommand("camstreamd: camera streaming daemon (V4L2 -> H.264 -> RTSP)");
        root.Options.Add(config);
        root.Subcommands.Add(checkConfig);
        root.Subcommands.Add(encoders);
        root.Subcommands.Add(benchEncode);
        root.Subcommands.Add(devices);
        root.SetAction((result, cancellationToken) => DaemonHost.RunAsync(result.GetValue(config), cancellationToken));

        // The host handles SIGTERM/SIGINT itself (graceful stop, exit 0); the parser must not race it.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
