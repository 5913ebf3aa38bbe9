namespace CamStreamd.Media;

/// <summary>
/// Work done once per access unit before it is cached and fanned out, such as building its RTP
/// packets into <see cref="AccessUnit.Rtp"/>. Called on the publishing thread, one unit at a time.
/// </summary>
public interface IAccessUnitPreparer
{
    /// <summary>Prepares <paramref name="unit"/> for every subscriber.</summary>
    void Prepare(AccessUnit unit);
}
