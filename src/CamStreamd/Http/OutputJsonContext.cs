using System.Text.Json.Serialization;

namespace CamStreamd.Http;

/// <summary>Source-generated JSON of the recording and batch endpoints (same options as <see cref="HttpJsonContext"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(StreamStateJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(RecordingListResponse))]
[JsonSerializable(typeof(BatchChangeResponse))]
internal sealed partial class OutputJsonContext : JsonSerializerContext;
