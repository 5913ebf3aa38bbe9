using CamStreamd.Configuration;

namespace CamStreamd.Hosting;

/// <summary><c>camstreamd check-config [--config PATH]</c>: validate and print the effective configuration.</summary>
public static class ConfigCheck
{
    /// <summary>
    /// Prints the effective configuration as JSON (secrets redacted) to <paramref name="output"/> and
    /// returns 0; or prints each error to <paramref name="error"/> and returns 78. Notices go to
    /// <paramref name="error"/> too, so <paramref name="output"/> is exactly the JSON.
    /// </summary>
    public static int Run(string? path, TextWriter output, TextWriter error, Func<string, bool>? exists = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ConfigLoadResult config;
        try
        {
            config = ConfigLoader.Load(path, exists ?? File.Exists);
        }
        catch (ConfigException e)
        {
            WriteErrors(e, error);
            return ExitCodes.Config;
        }

        output.WriteLine(ConfigLoader.ToJson(config.Options));
        foreach (var notice in config.Notices)
        {
            error.WriteLine($"notice: {notice}");
        }

        error.WriteLine($"configuration valid: {config.Source}");
        return ExitCodes.Ok;
    }

    /// <summary>Writes <c>config error: ...</c>, one line per error.</summary>
    public static void WriteErrors(ConfigException exception, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(error);
        foreach (var message in exception.Errors)
        {
            error.WriteLine($"config error: {message}");
        }
    }
}
