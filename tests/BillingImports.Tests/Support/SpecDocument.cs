using System.Text.Json.Nodes;

namespace BillingImports.Tests.Support;

/// <summary>
/// The OpenAPI document the SDK is generated from, as typed JSON (see the testing package's
/// YamlJson: plain 12 is a number, '12' a string).
/// </summary>
internal static class SpecDocument
{
    private static readonly Lazy<JsonObject> Document = new(() =>
        Load(Path.Combine(AppContext.BaseDirectory, "openapi", "billing-imports.yaml")));

    public static JsonObject Root => Document.Value;

    public static IEnumerable<(string OperationId, JsonObject Operation)> Operations() =>
        from path in Root["paths"]!.AsObject()
        from verb in path.Value!.AsObject()
        where verb.Value is JsonObject operation && operation.ContainsKey("operationId")
        select ((string)verb.Value!["operationId"]!, verb.Value!.AsObject());

    /// <summary>Every example under every response.</summary>
    public static IReadOnlyList<SpecExample> Examples()
    {
        var examples = new List<SpecExample>();
        foreach (var (operationId, operation) in Operations())
        {
            foreach (var (status, responseNode) in operation["responses"]!.AsObject())
            {
                var response = Resolve(responseNode!).AsObject();
                foreach (var (mediaType, contentNode) in response["content"]?.AsObject() ?? [])
                {
                    var content = contentNode!.AsObject();
                    var schemaName = content["schema"]?["$ref"]?.GetValue<string>().Split('/')[^1];
                    if (content["example"] is { } single)
                    {
                        examples.Add(new(operationId, status, mediaType, "example", schemaName, single.ToJsonString()));
                    }

                    foreach (var (name, example) in content["examples"]?.AsObject() ?? [])
                    {
                        examples.Add(new(operationId, status, mediaType, name, schemaName, Resolve(example!)["value"]!.ToJsonString()));
                    }
                }
            }
        }

        return examples;
    }

    public static JsonNode Resolve(JsonNode node)
    {
        while (node is JsonObject obj && obj["$ref"] is { } reference)
        {
            node = reference.GetValue<string>().TrimStart('#', '/').Split('/').Aggregate((JsonNode)Root, (current, part) => current[part]!);
        }

        return node;
    }

    public static JsonObject Load(string path)
    {
        using var reader = new StreamReader(path);
        return BillingImports.Testing.Internal.YamlJson.Load(reader);
    }
}

internal sealed record SpecExample(string OperationId, string Status, string MediaType, string Name, string? SchemaName, string Json)
{
    public override string ToString() => $"{OperationId} {Status} {MediaType} {Name}";
}
