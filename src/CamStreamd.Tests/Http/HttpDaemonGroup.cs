namespace CamStreamd.Tests.Http;

/// <summary>The HTTP tests share one daemon (<see cref="HttpDaemonFixture"/>) and run one class at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HttpDaemonGroup : ICollectionFixture<HttpDaemonFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "http-daemon";
}
