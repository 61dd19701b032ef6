using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Source-generated JSON metadata for <see cref="WaitCheckpoint"/>: camelCase members, no nulls
/// written, the resource kind as a string, and nullability respected on read, so a checkpoint
/// without its id fails to read instead of yielding one.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(WaitCheckpoint))]
internal sealed partial class WaitCheckpointJsonContext : JsonSerializerContext;
