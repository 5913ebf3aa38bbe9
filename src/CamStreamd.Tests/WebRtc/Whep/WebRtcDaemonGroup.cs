namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>The WHEP tests share one daemon and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class WebRtcDaemonGroup : ICollectionFixture<WebRtcDaemonFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "WebRTC daemon";
}
