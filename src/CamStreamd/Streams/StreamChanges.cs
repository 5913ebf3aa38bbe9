using CamStreamd.Streams;

namespace CamStreamd.Streams;

/// <summary>What <see cref="StreamSupervisor.ApplyAsync"/> did, by stream name.</summary>
/// <param name="Added">Streams that are new in the configuration and were started.</param>
/// <param name="Removed">Streams that are gone from the configuration and were stopped.</param>
/// <param name="Restarted">Streams whose settings changed; rebuilt and restarted (their viewers were disconnected).</param>
/// <param name="Unchanged">Streams left running untouched, with their viewers.</param>
public sealed record StreamChanges(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Restarted,
    IReadOnlyList<string> Unchanged);
