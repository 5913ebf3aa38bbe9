using System.Text.Json;
using System.Text.Json.Serialization;
using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>Writes <see cref="StreamState"/> as a camelCase string (<c>running</c>, <c>noSignal</c>), as the metrics' labels do.</summary>
internal sealed class StreamStateJsonConverter : JsonStringEnumConverter<StreamState>
{
    /// <summary>Creates the converter.</summary>
    public StreamStateJsonConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}
