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

        var devices = new Command("devices", "List the V4L2 capture devices with their formats, sizes and frame rates; exit 0");
        devices.SetAction(_ =>
        {
            Capture.V4l2DeviceReport.Write(Interop.V4l2.V4l2DeviceProvider.Instance, Console.Out);
            return ExitCodes.Ok;
        });

        var root = new RootCommand("camstreamd: camera streaming daemon (V4L2 -> H.264 -> RTSP)");
        root.Options.Add(config);
        root.Subcommands.Add(checkConfig);
        root.Subcommands.Add(devices);
        root.SetAction((result, cancellationToken) => DaemonHost.RunAsync(result.GetValue(config), cancellationToken));

        // The host handles SIGTERM/SIGINT itself (graceful stop, exit 0); the parser must not race it.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
