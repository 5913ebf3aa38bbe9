namespace CamStreamd.Hosting;

/// <summary>Looks at the running streams (the supervisor's, or a test's fake).</summary>
public interface IDaemonStatus
{
    /// <summary>Takes a look now; fps are averaged since the previous look.</summary>
    DaemonStatusReport Check();
}
