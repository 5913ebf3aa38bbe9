using CamStreamd.Media;

namespace CamStreamd.Tests.Encoding;

/// <summary>Copies every published unit (bytes and metadata) and releases it.</summary>
internal sealed class CollectingSink : IAccessUnitSink
{
    public sealed record Unit(byte[] AnnexB, long CaptureTimestamp, long Timestamp90k, bool IsKeyframe, long FrameNumber);

    public List<Unit> Units { get; } = [];

    /// <summary>When false the sink only releases (for the allocation test).</summary>
    public bool Keep { get; set; } = true;

    public void Publish(AccessUnit unit)
    {
        if (Keep)
        {
            Units.Add(new Unit(unit.AnnexB.ToArray(), unit.CaptureTimestamp, unit.Timestamp90k, unit.IsKeyframe, unit.FrameNumber));
        }

        unit.Release();
    }
}
