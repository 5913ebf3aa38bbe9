namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// The interop matrix runs alone (like the other end-to-end tests: real daemons encoding video
/// on a two-core machine) and shares its daemons through <see cref="InteropDaemons"/>, which live
/// only while this collection runs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropGroup : ICollectionFixture<InteropDaemons>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "interop";
}
