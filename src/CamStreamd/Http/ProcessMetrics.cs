using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CamStreamd.Http;

/// <summary>
/// The standard <c>process_*</c> metrics every Prometheus client library exports (same names and
/// meaning), read from <see cref="Process"/> and <c>/proc/self</c>.
/// </summary>
internal static class ProcessMetrics
{
    private const string FdDirectory = "/proc/self/fd";
    private const string LimitsFile = "/proc/self/limits";

    /// <summary>Appends the process families to <paramref name="text"/>.</summary>
    public static void Write(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        MetricsWriter.Family(text, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
        MetricsWriter.Sample(text, "process_cpu_seconds_total", [], Math.Round(process.TotalProcessorTime.TotalSeconds, 3));
        MetricsWriter.Family(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        MetricsWriter.Sample(text, "process_resident_memory_bytes", [], process.WorkingSet64);
        MetricsWriter.Family(text, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        MetricsWriter.Sample(text, "process_virtual_memory_bytes", [], process.VirtualMemorySize64);
        MetricsWriter.Family(text, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
        MetricsWriter.Sample(text, "process_start_time_seconds", [], Math.Round(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0, 3));
        MetricsWriter.Family(text, "process_threads", "gauge", "Number of OS threads in the process.");
        MetricsWriter.Sample(text, "process_threads", [], process.Threads.Count);
        if (OpenFileDescriptors() is { } open)
        {
            MetricsWriter.Family(text, "process_open_fds", "gauge", "Number of open file descriptors.");
            MetricsWriter.Sample(text, "process_open_fds", [], open);
        }

        if (MaxFileDescriptors() is { } max)
        {
            MetricsWriter.Family(text, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
            MetricsWriter.Sample(text, "process_max_fds", [], max);
        }

        // GetTotalMemory(false) neither collects nor allocates, and is right before the first
        // collection; GetGCMemoryInfo().HeapSizeBytes describes the last collection, so it read 0 on
        // an idle daemon that never collected (NativeAOT with a quiet stream may go hours without one).
        MetricsWriter.Family(text, "dotnet_gc_heap_bytes", "gauge", "Bytes allocated in the managed heap (live objects and garbage not yet collected).");
        MetricsWriter.Sample(text, "dotnet_gc_heap_bytes", [], GC.GetTotalMemory(forceFullCollection: false));
    }

    private static int? OpenFileDescriptors()
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(FdDirectory).Count();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? MaxFileDescriptors()
    {
        // "Max open files            1024                 524288               files" (soft limit first).
        try
        {
            foreach (var line in File.ReadLines(LimitsFile))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
