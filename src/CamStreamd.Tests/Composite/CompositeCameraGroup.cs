namespace CamStreamd.Tests.Composite;

/// <summary>The four-camera composite test runs alone: four upstream encoders, four decoders and a viewer on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CompositeCameraGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "composite-cameras";
}
