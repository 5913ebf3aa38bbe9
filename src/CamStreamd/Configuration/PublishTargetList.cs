namespace CamStreamd.Configuration;

/// <summary>
/// <c>streams[i].publish</c>: the stream's upstream targets. A list with value equality, so that a
/// reload that leaves a stream's targets as they were keeps the stream running (stream settings
/// are compared as records, and a plain list compares by reference).
/// </summary>
public sealed class PublishTargetList : List<PublishTargetOptions>, IEquatable<PublishTargetList>
{
    /// <summary>Creates an empty list.</summary>
    public PublishTargetList()
    {
    }

    /// <summary>Creates a list of <paramref name="targets"/>.</summary>
    public PublishTargetList(IEnumerable<PublishTargetOptions> targets)
        : base(targets)
    {
    }

    /// <inheritdoc/>
    public bool Equals(PublishTargetList? other) => other is not null && this.SequenceEqual(other);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is PublishTargetList other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var target in this)
        {
            hash.Add(target);
        }

        return hash.ToHashCode();
    }
}
