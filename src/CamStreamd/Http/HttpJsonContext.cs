using System.Text.Json.Serialization;

namespace CamStreamd.Http;

/// <summary>
/// Source-generated JSON for the HTTP API (no reflection: the daemon stays trimmable and AOT
/// clean). camelCase names, stream states as camelCase strings. Request bodies (a stream) are read with the config
/// file's own context, so they are exactly as strict as the file.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(StreamStateJsonConverter)],
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = false)]
[JsonSerializable(typeof(StreamInfo))]
[JsonSerializable(typeof(StreamListResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ConnectionsResponse))]
[JsonSerializable(typeof(ChangeResponse))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(WebRtcResponse))]
internal sealed partial class HttpJsonContext : JsonSerializerContext;
