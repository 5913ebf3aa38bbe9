using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>
/// The answer to a change made through the API (add, remove, start, stop). Changes apply at once
/// and are runtime-only: the config file is not written, so a restart or reload returns to it.
/// </summary>
/// <param name="Stream">The stream changed.</param>
/// <param name="Action"><c>added</c>, <c>removed</c>, <c>started</c> or <c>stopped</c>.</param>
/// <param name="State">The stream's state after the change (<c>stopped</c> once removed).</param>
/// <param name="Persisted">Always false: the change is not kept across restarts.</param>
/// <param name="Note">Says so in words.</param>
public sealed record ChangeResponse(string Stream, string Action, StreamState State, bool Persisted, string Note);
