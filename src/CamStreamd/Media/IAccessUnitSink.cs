namespace CamStreamd.Media;

/// <summary>Where an encoder delivers access units (the stream's <see cref="StreamHub"/>).</summary>
public interface IAccessUnitSink
{
    /// <summary>Takes over the caller's reference to <paramref name="unit"/>. Never blocks.</summary>
    void Publish(AccessUnit unit);
}
