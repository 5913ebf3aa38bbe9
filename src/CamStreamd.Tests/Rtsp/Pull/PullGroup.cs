namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// The pull tests run alone and share their upstream servers and relay daemon
/// (<see cref="PullFixture"/>), which live only while this collection runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PullGroup : ICollectionFixture<PullFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "rtsp-pull";
}
