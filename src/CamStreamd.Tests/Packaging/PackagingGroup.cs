namespace CamStreamd.Tests.Packaging;

/// <summary>The package tests run on their own: building the .deb publishes the daemon (CPU-heavy).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PackagingGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "packaging";
}
