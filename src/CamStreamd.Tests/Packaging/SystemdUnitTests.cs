using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.Packaging;

/// <summary>systemd/camstreamd.service as systemd itself judges it: <c>systemd-analyze verify</c> and <c>security</c>.</summary>
public sealed partial class SystemdUnitTests : IDisposable
{
    /// <summary>Highest exposure accepted (systemd-analyze security: 0 = locked down, 10 = exposed).</summary>
    private const double MaxExposure = 3.0;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-unit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Unit_passes_systemd_analyze_verify()
    {
        var unit = CopyUnit();

        var result = PeerProcess.Run("systemd-analyze", ["verify", unit], "systemd");

        Assert.True(result.ExitCode == 0 && result.StandardError.Trim().Length == 0, $"systemd-analyze verify:\n{result.StandardError}{result.StandardOutput}");
    }

    [Fact]
    public void Unit_exposure_is_at_most_3()
    {
        var unit = CopyUnit();

        var result = PeerProcess.Run("systemd-analyze", ["security", "--offline=true", "--no-pager", unit], "systemd");

        var match = ExposureLine().Match(result.StandardOutput);
        Assert.True(match.Success, $"no exposure figure in:\n{result.StandardOutput}\n{result.StandardError}");
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Console.WriteLine($"systemd-analyze security --offline=true camstreamd.service: exposure {exposure:0.0}");
        Assert.True(exposure <= MaxExposure, $"exposure {exposure} > {MaxExposure}:\n{result.StandardOutput}");
    }

    [Fact]
    public void Unit_is_a_notify_service_with_watchdog_reload_and_its_own_user()
    {
        var lines = File.ReadAllLines(UnitPath).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Subset(lines, new HashSet<string>(StringComparer.Ordinal)
        {
            "Type=notify", "NotifyAccess=main", "WatchdogSec=30", "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID",
            "User=camstreamd", "ExecStart=/usr/bin/camstreamd --config /etc/camstreamd.json",
            "DeviceAllow=char-video4linux rw", "DeviceAllow=char-drm rw", "DeviceAllow=char-gpiochip rw",
            "MemoryDenyWriteExecute=yes", // NativeAOT: no JIT (the systemd guest test runs the package under it)
        });
        Assert.DoesNotContain(lines, l => l.StartsWith("DynamicUser=", StringComparison.Ordinal));
    }

    private static string UnitPath => Path.Combine(CLayoutProbe.RepositoryRoot, "systemd", "camstreamd.service");

    /// <summary>
    /// The unit with ExecStart pointing at an existing program (verify checks that the binary
    /// exists; /usr/bin/camstreamd is there only once the package is installed).
    /// </summary>
    private string CopyUnit()
    {
        var text = File.ReadAllText(UnitPath);
        Assert.Contains("ExecStart=/usr/bin/camstreamd ", text, StringComparison.Ordinal);
        var path = Path.Combine(_directory, "camstreamd.service");
        File.WriteAllText(path, text.Replace("ExecStart=/usr/bin/camstreamd ", "ExecStart=/bin/true ", StringComparison.Ordinal));
        return path;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: (\d+\.\d+)")]
    private static partial Regex ExposureLine();
}
