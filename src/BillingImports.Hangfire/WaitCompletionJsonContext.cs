using System.Text.Json.Serialization;

namespace BillingImports.Hangfire;

/// <summary>Source-generated JSON metadata for <see cref="WaitCompletion"/>, in the checkpoint's spelling.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(WaitCompletion))]
internal sealed partial class WaitCompletionJsonContext : JsonSerializerContext;
