namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// End-to-end tests run one class at a time: each starts a daemon that encodes 720p or smaller
/// video, and the machines here have two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "end-to-end";
}
