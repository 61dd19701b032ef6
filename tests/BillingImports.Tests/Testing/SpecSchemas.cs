using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BillingImports.Tests.Support;
using NJsonSchema;

namespace BillingImports.Tests.Testing;

/// <summary>
/// JSON schemas for the spec's <c>components/schemas</c>, read from the typed JSON form of the spec
/// (see <see cref="SpecDocument"/>), to validate what the fake server sends.
/// </summary>
internal static class SpecSchemas
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new(StringComparer.Ordinal);

    /// <summary>The schema of the spec's application/json body for an operation's status code.</summary>
    public static JsonSchema ForResponse(string operationId, int status)
    {
        var operation = SpecDocument.Operations().Single(op => op.OperationId == operationId).Operation;
        var response = SpecDocument.Resolve(operation["responses"]![status.ToString(System.Globalization.CultureInfo.InvariantCulture)]!);
        var reference = response["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        return Named(reference.Split('/')[^1]);
    }

    /// <summary>The schema named <paramref name="name"/> under <c>components/schemas</c>.</summary>
    public static JsonSchema Named(string name) => Cache.GetOrAdd(name, static name =>
    {
        // NJsonSchema resolves references it finds under "definitions" but not inside unknown members
        // such as "components", so the schemas move there and the references follow.
        var document = new JsonObject
        {
            ["definitions"] = SpecDocument.Root["components"]!["schemas"]!.DeepClone(),
            ["$ref"] = "#/definitions/" + name,
        };
        var json = document.ToJsonString().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(json, documentPath: null, schema =>
            new JsonReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()))).GetAwaiter().GetResult();
    });

    /// <summary>The validation errors of <paramref name="json"/>, with OpenAPI 3.0 rules (<c>nullable</c>), as readable lines.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, string json) =>
        schema.Validate(json, SchemaType.OpenApi3).Select(error => error.ToString()).ToList();
}
