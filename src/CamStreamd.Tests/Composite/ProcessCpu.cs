using System.Globalization;

namespace CamStreamd.Tests.Composite;

/// <summary>CPU time and resident memory of a process, from /proc/PID/stat and /proc/PID/status.</summary>
internal static class ProcessCpu
{
    // Linux reports utime and stime in clock ticks of sysconf(_SC_CLK_TCK), 100 on every Linux ABI we run on.
    private const double TicksPerSecond = 100;

    /// <summary>User plus system CPU seconds used so far.</summary>
    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // Fields after the command name (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>Resident set size in MiB.</summary>
    public static double RssMiB(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
