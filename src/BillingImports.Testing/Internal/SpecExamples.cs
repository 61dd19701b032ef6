using System.Globalization;
using System.Text.Json.Nodes;

namespace BillingImports.Testing.Internal;

/// <summary>
/// The bodies the fake serves, read from the OpenAPI document embedded in this assembly, so the fake
/// cannot drift from the contract the SDK is generated from.
/// </summary>
internal sealed class SpecExamples
{
    private const string ResourceName = "BillingImports.Testing.billing-imports.yaml";
    private const string DataSourcePath = "/v1/data_sources/{data_source_uuid}";
    private const string ImportPath = "/v2/subscriptions/imports/{import_uuid}";
    private const string ImportErrorsPath = "/v2/subscriptions/imports/{import_uuid}/errors";

    private static readonly Lazy<SpecExamples> Shared = new(() => new SpecExamples(Load()));

    private readonly JsonObject _root;

    private SpecExamples(JsonObject root) => _root = root;

    public static SpecExamples Instance => Shared.Value;

    /// <summary>The 200 examples of <c>RetrieveDataSource</c>, in document order.</summary>
    public IReadOnlyList<JsonObject> DataSources => SuccessExamples(DataSourcePath);

    /// <summary>The 200 examples of <c>GetImport</c>, in document order.</summary>
    public IReadOnlyList<JsonObject> Imports => SuccessExamples(ImportPath);

    /// <summary>The errors (<c>data</c> items) of the 200 example of <c>ListImportErrors</c>.</summary>
    public IReadOnlyList<JsonObject> ImportErrors => [.. SuccessExamples(ImportErrorsPath).SelectMany(page => page["data"]!.AsArray().Select(error => (JsonObject)error!))];

    /// <summary>The JSON error body the spec documents for a ChartMogul status code.</summary>
    public JsonObject ChartMogulError(int status) => ErrorExample(DataSourcePath, status);

    /// <summary>The JSON:API error body the spec documents for an Elastic Path status code.</summary>
    public JsonObject ElasticPathError(int status) => ErrorExample(ImportPath, status);

    private List<JsonObject> SuccessExamples(string path) =>
        JsonContent(path, 200)["examples"]!.AsObject()
            .Select(example => (JsonObject)Resolve(example.Value!)["value"]!.DeepClone())
            .ToList();

    private JsonObject ErrorExample(string path, int status)
    {
        var content = JsonContent(path, status);

        // A response documents either one example or several named ones; the first named one is the
        // typical case (invalid_uuid for ChartMogul's 422).
        var example = content["example"] ?? Resolve(content["examples"]!.AsObject().First().Value!)["value"];
        return (JsonObject)example!.DeepClone();
    }

    private JsonObject JsonContent(string path, int status)
    {
        var responses = _root["paths"]![path]!["get"]!["responses"]!.AsObject();
        var response = responses[status.ToString(CultureInfo.InvariantCulture)]
            ?? throw new InvalidOperationException($"The OpenAPI document has no {status} response for GET {path}.");
        return Resolve(response)["content"]!["application/json"]!.AsObject();
    }

    private JsonNode Resolve(JsonNode node)
    {
        while (node is JsonObject obj && obj["$ref"] is { } reference)
        {
            node = reference.GetValue<string>().TrimStart('#', '/').Split('/')
                .Aggregate((JsonNode)_root, (current, part) => current[part]!);
        }

        return node;
    }

    private static JsonObject Load()
    {
        using var stream = typeof(SpecExamples).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded OpenAPI document {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return YamlJson.Load(reader);
    }
}
