using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Compile-time serialization metadata for the generated models, with the tolerant converters for
/// record counts and timestamps: the generated clients read through it only, so no reflection
/// metadata is ever built and the SDK runs trimmed and as native AOT. A test checks that every
/// model the spec defines is listed here, so a new schema cannot be forgotten.
/// </summary>
[JsonSourceGenerationOptions(Converters = [typeof(RecordCountsConverter), typeof(TimestampConverter), typeof(NullableTimestampConverter)])]
[JsonSerializable(typeof(DataSource))]
[JsonSerializable(typeof(ChartMogulError))]
[JsonSerializable(typeof(SubscriptionImportDocument))]
[JsonSerializable(typeof(JsonApiErrorDocument))]
internal sealed partial class BillingImportsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Points a generated client's options at this context and its converters. A type the context
    /// does not list fails with <see cref="NotSupportedException"/> rather than falling back to
    /// reflection, which trimming would break silently.
    /// </summary>
    internal static void Apply(JsonSerializerOptions settings)
    {
        settings.TypeInfoResolver = Default;
        foreach (var converter in Default.Options.Converters)
        {
            settings.Converters.Add(converter);
        }
    }
}
