using System.Text.Json.Nodes;
using BillingImports.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Seeds;

/// <summary>
/// Every JSON body printed in the two vendor documentation pages the product was specified from
/// (ChartMogul "Retrieve a Source", Elastic Path "Get import"), kept byte for byte in this folder,
/// served by a real HTTP server and read by the SDK's clients on their full pipeline. Every value
/// in each body is asserted.
/// </summary>
public sealed class VendorDocumentBodyTests : IDisposable
{
    private const string ImportId = "00000000-0000-0000-0000-000000000000";
    private const string SourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string MissingId = "e7d50bd5-1833-43c0-9848-f9d325b08be8";

    private static readonly DateTimeOffset DocumentedInstant = new DateTimeOffset(2017, 1, 10, 11, 41, 19, TimeSpan.Zero).AddTicks(2448420);

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });
    private readonly VirtualTime _time = new();

    public VendorDocumentBodyTests()
    {
        _server.Given(Request.Create().WithPath("/oauth/access_token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"documented-token","token_type":"Bearer","expires_in":3600,"expires":4102444800}"""));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task ChartMogulRetrieveASourceResult_EveryValueRead()
    {
        var bytes = Fixture("chartmogul-data-source.json");
        Serve("/v1/data_sources/" + SourceUuid, 200, bytes);
        using var chartMogul = new ChartMogulClient(Options(new ChartMogulClientOptions { ApiKey = "documented-key" }), null, _time);

        var source = await chartMogul.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        Assert.Equal(SourceUuid, source.Uuid);
        Assert.Equal("In-house billing", source.Name);
        Assert.Equal("Custom", source.System);
        Assert.Equal(new DateTimeOffset(2023, 1, 10, 15, 34, 5, 918, TimeSpan.Zero), source.CreatedAt);
        Assert.Equal("idle", source.Status.Value);
        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.True(source.Status.IsDone);
        Assert.Null(source.ProcessingStatus);
        Assert.Empty(source.AdditionalProperties);
        Assert.StartsWith("Basic ", Assert.Single(_server.LogEntries).RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ElasticPathGetImport200_EveryValueReadWithTheCountsFromMetaRecords()
    {
        Serve("/v2/subscriptions/imports/" + ImportId, 200, Fixture("elasticpath-import.json"));
        using var elasticPath = ElasticPath();

        var import = await elasticPath.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportId, import.Id);
        Assert.Equal("subscription_import", import.Type);
        Assert.Equal("abc123", import.ExternalRef);
        Assert.Equal("pending", import.Status.Value);
        Assert.Equal(ImportStatus.Pending, import.Status);
        Assert.Equal("store", import.Meta.Owner);
        Assert.Equal(DocumentedInstant, import.Timestamps.UpdatedAt);
        Assert.Equal(DocumentedInstant, import.Timestamps.CreatedAt);
        Assert.Equal(DocumentedInstant, import.Timestamps.StartedAt);
        Assert.Equal(DocumentedInstant, import.Timestamps.FinishedAt);

        // The six counts, through the typed accessors and the map: read from meta.records, not zero.
        var uploaded = import.Records.Uploaded;
        var imported = import.Records.Imported;
        Assert.Equal((50000L, 50000L, 50000L), (uploaded.Products, uploaded.Plans, uploaded.Subscribers));
        Assert.Equal((45090L, 45090L, 45090L), (imported.Products, imported.Plans, imported.Subscribers));
        Assert.Equal(
            new Dictionary<string, long> { ["subscription_product"] = 50000, ["subscription_plan"] = 50000, ["subscription_subscriber"] = 50000 },
            uploaded.ToDictionary());
        Assert.Equal(
            new Dictionary<string, long> { ["subscription_product"] = 45090, ["subscription_plan"] = 45090, ["subscription_subscriber"] = 45090 },
            imported.ToDictionary());
        Assert.Equal(150_000, uploaded.Total);
        Assert.Equal(135_270, imported.Total);
        Assert.Same(import.Meta.Records, import.Records);
        Assert.Null(uploaded.Offerings);
        Assert.Null(uploaded.Subscriptions);
        Assert.Null(uploaded.Features);
        Assert.Empty(import.Attributes.AdditionalProperties);
        Assert.Empty(import.Meta.AdditionalProperties);
    }

    public static TheoryData<string, int> SchemaExampleFixtures() => new()
    {
        { "elasticpath-400-schema-example.json", 400 },
        { "elasticpath-404-schema-example.json", 404 },
        { "elasticpath-500-schema-example.json", 500 },
    };

    [Theory]
    [MemberData(nameof(SchemaExampleFixtures))]
    public async Task ElasticPathErrorSchemaExample_EveryValueReadWhateverTheHttpStatus(string fixture, int httpStatus)
    {
        var error = await FailAsync(fixture, httpStatus);

        // The documentation's example from the schema states 500 in the body under every HTTP status.
        Assert.Equal(httpStatus, error.StatusCode);
        var only = Assert.Single(error.Errors);
        Assert.Equal(500, only.Status);
        Assert.Equal("Internal server error", only.Title);
        Assert.Equal("An internal error has occurred.", only.Detail);
        Assert.Equal([MissingId], only.MissingIds);
    }

    [Fact]
    public async Task ElasticPath400MissingName_EveryValueRead()
    {
        var error = await FailAsync("elasticpath-400-missing-name.json", 400);

        Assert.Equal(ApiErrorKind.BadRequest, error.Kind);
        var only = Assert.Single(error.Errors);
        Assert.Equal(400, only.Status);
        Assert.Equal("Validation Error", only.Title);
        Assert.Equal("data.attributes.name: \"name\" is required", only.Detail);
        Assert.Empty(only.MissingIds);
    }

    [Fact]
    public async Task ElasticPath404NotFound_EveryValueRead()
    {
        var error = await FailAsync("elasticpath-404-not-found.json", 404);

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        var only = Assert.Single(error.Errors);
        Assert.Equal(404, only.Status);
        Assert.Equal("Not Found", only.Title);
        Assert.Equal("No plan found", only.Detail);
        Assert.Empty(only.MissingIds);
        Assert.Equal("HTTP 404 Not Found: No plan found.", error.Message);
    }

    [Fact]
    public async Task ElasticPath500InternalServerError_EveryValueRead()
    {
        var error = await FailAsync("elasticpath-500-internal-server-error.json", 500);

        Assert.Equal(ApiErrorKind.ServerError, error.Kind);
        var only = Assert.Single(error.Errors);
        Assert.Equal(500, only.Status);
        Assert.Equal("Internal Server Error", only.Title);
        Assert.Null(only.Detail);
        Assert.Empty(only.MissingIds);
    }

    [Theory]
    [InlineData("chartmogul-data-source.json", "GetDataSource", "200", "documented")]
    [InlineData("elasticpath-import.json", "GetImport", "200", "documented")]
    [InlineData("elasticpath-400-schema-example.json", "GetImport", "400", "schema-example")]
    [InlineData("elasticpath-400-missing-name.json", "GetImport", "400", "missing-name")]
    [InlineData("elasticpath-404-schema-example.json", "GetImport", "404", "schema-example")]
    [InlineData("elasticpath-404-not-found.json", "GetImport", "404", "not-found")]
    [InlineData("elasticpath-500-schema-example.json", "GetImport", "500", "schema-example")]
    [InlineData("elasticpath-500-internal-server-error.json", "GetImport", "500", "internal-server-error")]
    public void Fixture_IsTheSpecsVerbatimExample(string fixture, string operationId, string status, string example)
    {
        var spec = SpecDocument.Examples().Single(e => e.OperationId == operationId && e.Status == status && e.Name == example);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Fixture(fixture)), JsonNode.Parse(spec.Json)), $"{fixture} differs from the spec's {spec}");
    }

    private async Task<BillingImportsApiException> FailAsync(string fixture, int httpStatus)
    {
        Serve("/v2/subscriptions/imports/" + ImportId, httpStatus, Fixture(fixture));
        using var elasticPath = ElasticPath();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => elasticPath.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal(1, _server.LogEntries.Count(entry => entry.RequestMessage.Path.StartsWith("/v2/", StringComparison.Ordinal)));
        Assert.Equal(Fixture(fixture).Length, System.Text.Encoding.UTF8.GetByteCount(error.ResponseBody!));
        return error;
    }

    private ElasticPathClient ElasticPath() =>
        new(Options(new ElasticPathClientOptions { ClientId = "documented-id", ClientSecret = "documented-secret" }), null, _time);

    /// <summary>The test server's address, no per-attempt timeout (the clock is virtual) and no retries: one request per body.</summary>
    private T Options<T>(T options)
        where T : BillingImportsClientOptions
    {
        options.BaseAddress = new Uri(_server.Urls[0] + "/");
        options.Timeout = Timeout.InfiniteTimeSpan;
        options.Retry = new RetryOptions { MaxRetries = 0 };
        return options;
    }

    private void Serve(string path, int status, byte[] body) =>
        _server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Seeds", name));
}
