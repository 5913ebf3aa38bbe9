using System.Text.Json;
using System.Text.Json.Serialization;

namespace CamStreamd.Configuration;

/// <summary>
/// Source-generated JSON metadata for the config (no reflection: trimming and AOT safe). Reading is
/// strict: unknown and duplicate keys are errors; comments and trailing commas are allowed because
/// people edit this file by hand.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    AllowDuplicateProperties = false,
    WriteIndented = true,
    MaxDepth = ConfigLoader.MaxJsonDepth)]
[JsonSerializable(typeof(CamStreamdOptions))]
internal sealed partial class CamStreamdJsonContext : JsonSerializerContext;
