using System.Text.Json.Nodes;
using BillingImports.Tests.Support;
using WireMock.Admin.Mappings;
using WireMock.Net.OpenApiParser;
using WireMock.Net.OpenApiParser.Settings;
using WireMock.Net.OpenApiParser.Types;
using WireMock.Server;
using WireMock.Settings;
using YamlDotNet.RepresentationModel;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Testing;

/// <summary>
/// A second, independent reading of the spec: WireMock.Net.OpenApiParser turns it into mappings,
/// and the generated clients must read what those mappings serve.
/// </summary>
public sealed class OpenApiParserConformanceTests : IDisposable
{
    private static readonly string SpecYaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi", "billing-imports.yaml"));

    // Any id reaches the mapping: the parser's path value is a placeholder (see the first test).
    private static readonly WireMockOpenApiParserSettings Wildcards = new() { PathPatternToUse = ExampleValueType.Wildcard };

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
    private readonly HttpClient _http;

    public OpenApiParserConformanceTests() => _http = new HttpClient { BaseAddress = new Uri(_server.Urls[0] + "/") };

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public void FromText_OnTheYamlSpec_MapsThe200OfEachOperationWithItsFirstExample()
    {
        var mappings = new WireMockOpenApiParser().FromText(SpecYaml, out var diagnostic);

        Assert.Empty(diagnostic.Errors);
        Assert.Equal(3, mappings.Count);
        Assert.All(mappings, mapping => Assert.Equal(200, Convert.ToInt32(mapping.Response.StatusCode, System.Globalization.CultureInfo.InvariantCulture)));

        // The parameters' own example values (ds_fef05d54-..., 11111111-...) are ignored: the parser
        // reads only schema.example and otherwise puts its default string in the path.
        Assert.Equal(["/v1/data_sources/example-string", "/v2/subscriptions/imports/example-string", "/v2/subscriptions/imports/example-string/errors"], mappings.Select(m => PathOf(m)).Order());
        var source = Body(mappings, "/v1/data_sources/");
        var import = Body(mappings, "/v2/subscriptions/imports/");
        Assert.Equal("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", (string?)source["uuid"]);
        Assert.Equal("pending", (string?)import["data"]!["attributes"]!["status"]);

        Assert.Equal(50000, (long)import["data"]!["meta"]!["records"]!["uploaded"]!["subscription_subscriber"]!);

        // The example goes through Newtonsoft.Json's date handling and comes out as the same instant.
        Assert.Equal(new DateTimeOffset(2023, 1, 10, 15, 34, 5, 918, TimeSpan.Zero), DateTimeOffset.Parse((string)source["created_at"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task GeneratedClients_ReadWhatTheParsersMappingsServe()
    {
        var mappings = new WireMockOpenApiParser().FromText(SpecYaml, Wildcards, out _);
        _server.WithMapping([.. mappings]);

        var source = await new DataSourcesClient(_http).GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);
        var import = await new SubscriptionImportsClient(_http).GetImportAsync("11111111-2222-3333-4444-555555555555", TestContext.Token);

        Assert.Equal(("In-house billing", "Custom", "idle"), (source.Name, source.System, source.Status.Value));
        Assert.Equal(new DateTimeOffset(2023, 1, 10, 15, 34, 5, 918, TimeSpan.Zero), source.CreatedAt);
        Assert.Equal(ImportStatus.Pending, import.Status);
        Assert.Equal(50000, import.Records.Uploaded.Subscribers);
        Assert.Equal(45090, import.Records.Imported.Subscribers);
    }

    [Fact]
    public async Task GeneratedClients_ReadBodiesTheParserGeneratesFromTheSchemasAlone()
    {
        // Without examples the parser invents values from the schemas: its default string for every
        // string and for the members the spec leaves untyped, "now" for date-times, {} for the
        // record count maps (it ignores additionalProperties).
        var mappings = new WireMockOpenApiParser().FromText(WithoutSuccessExamples(SpecYaml), Wildcards, out var diagnostic);
        _server.WithMapping([.. mappings]);

        var source = await new DataSourcesClient(_http).GetDataSourceAsync("ds_any", cancellationToken: TestContext.Token);
        var import = await new SubscriptionImportsClient(_http).GetImportAsync("any", TestContext.Token);

        Assert.Empty(diagnostic.Errors);
        Assert.Equal("example-string", source.Status.Value);
        Assert.False(source.Status.IsKnown);
        Assert.NotNull(source.CreatedAt);
        Assert.Empty(import.Records.Uploaded);
        Assert.NotNull(import.Timestamps.FinishedAt);
        Assert.Equal(new DataSourceProcessingStatus(42, 42, 42), source.ProcessingStatus);

        // The parser fills the oneOf member (boolean or object) with its default string, which is
        // neither; the SDK reads it as no setting, and it is the body's only departure from the spec.
        Assert.Null(source.AutoChurnSubscriptionSetting);
        Assert.All(
            SpecSchemas.Errors(SpecSchemas.Named("DataSource"), Body(mappings, "/v1/data_sources/").ToJsonString()),
            error => Assert.StartsWith("NotOneOf: #/auto_churn_subscription_setting", error, StringComparison.Ordinal));
        Assert.Empty(SpecSchemas.Errors(SpecSchemas.Named("SubscriptionImportDocument"), Body(mappings, "/v2/subscriptions/imports/").ToJsonString()));
    }

    /// <summary>The spec, still YAML, with the examples of every 200 response removed.</summary>
    private static string WithoutSuccessExamples(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var paths = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["paths"];
        foreach (var (_, path) in paths.Children)
        {
            var content = (YamlMappingNode)path["get"]["responses"]["200"]["content"]["application/json"];
            content.Children.Remove(new YamlScalarNode("examples"));
        }

        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static string PathOf(MappingModel mapping) => mapping.Request.Path switch
    {
        string path => path,
        var other => Newtonsoft.Json.JsonConvert.SerializeObject(other),
    };

    private static JsonNode Body(IEnumerable<MappingModel> mappings, string pathPrefix)
    {
        // The operation right under the prefix, not the import errors below it.
        var mapping = mappings.Single(m => PathOf(m).Contains(pathPrefix, StringComparison.Ordinal) && !PathOf(m).Contains("/errors", StringComparison.Ordinal));
        return JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(mapping.Response.BodyAsJson))!;
    }
}
