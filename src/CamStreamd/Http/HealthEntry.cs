using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>One stream in <see cref="HealthResponse"/>.</summary>
/// <param name="Name">The stream's name.</param>
/// <param name="State">Its state.</param>
public sealed record HealthEntry(string Name, StreamState State);
