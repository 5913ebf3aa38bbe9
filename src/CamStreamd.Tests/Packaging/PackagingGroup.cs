namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The package tests run on their own (building the .debs publishes the daemon twice, CPU-heavy)
/// and share one build of both packages.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingGroup : ICollectionFixture<AotDebFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packaging";
}
