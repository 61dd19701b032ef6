using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BillingImports;

/// <summary>
/// Compile-time serialization metadata for the generated models: the generated clients read
/// through it instead of building reflection metadata on first use. A test checks that every model
/// the spec defines is listed here, so a new schema cannot be forgotten.
/// </summary>
[JsonSerializable(typeof(DataSource))]
[JsonSerializable(typeof(ChartMogulError))]
[JsonSerializable(typeof(SubscriptionImportDocument))]
[JsonSerializable(typeof(JsonApiErrorDocument))]
internal sealed partial class BillingImportsJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The resolver the generated clients use: this context first, reflection for anything it does
    /// not know (a consumer's subclass, say), so nothing that read before stops reading.
    /// </summary>
    internal static IJsonTypeInfoResolver Resolver { get; } = JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver());

    internal static void Apply(JsonSerializerOptions settings) => settings.TypeInfoResolver = Resolver;
}
