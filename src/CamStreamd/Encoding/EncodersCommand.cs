using CamStreamd.Configuration;
using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Encoding;

/// <summary><c>camstreamd encoders</c>: probes every engine at the first stream's size and prints the table.</summary>
public static class EncodersCommand
{
    /// <summary>Prints the probe table for the configuration at <paramref name="configPath"/>; returns 0 (or 78 for a bad configuration).</summary>
    public static int Run(string? configPath, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        EncoderSettings settings;
        try
        {
            var options = ConfigLoader.Load(configPath).Options;
            var stream = options.Streams[0];
            settings = new EncoderSettings(
                stream.Source.Width, stream.Source.Height, Math.Max(1, (int)Math.Round(stream.Source.Fps)),
                stream.Encoder.Bitrate, stream.Encoder.Gop, stream.Encoder.Profile)
            {
                RateControl = stream.Encoder.RateControl,
                Qp = stream.Encoder.Qp,
                Level = stream.Encoder.Level,
                Device = stream.Encoder.Device,
            };
        }
        catch (ConfigException e)
        {
            Hosting.ConfigCheck.WriteErrors(e, error);
            return Hosting.ExitCodes.Config;
        }

        string version;
        try
        {
            var info = FFmpegLibraries.EnsureLoaded();
            version = $"FFmpeg {info.Release}: libavcodec {info.AvcodecVersion} ({info.AvcodecSoname})";
        }
        catch (FFmpegUnavailableException e)
        {
            version = e.Message;
        }

        output.WriteLine($"{version}; probing at {settings.Width}x{settings.Height}, {EncoderProbe.ProbeFrames} frames each; auto tries them top to bottom");
        var results = EncoderProbe.ProbeAll(settings);
        output.Write(EncoderProbe.FormatTable(results));
        var chosen = results.FirstOrDefault(r => r.Usable);
        output.WriteLine(chosen is null ? "auto: no engine usable" : $"auto: {chosen.Engine}");
        return Hosting.ExitCodes.Ok;
    }
}
