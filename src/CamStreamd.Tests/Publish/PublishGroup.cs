namespace CamStreamd.Tests.Publish;

/// <summary>The publish tests run alone and share their record servers and daemon (<see cref="PublishFixture"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PublishGroup : ICollectionFixture<PublishFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "publish";
}
