using System.Text.Json.Nodes;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using NJsonSchema;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Testing;

/// <summary>
/// Everything the fake server sends must be something the spec allows: every scenario's bodies are
/// validated against the schema the spec gives for that operation and status.
/// </summary>
public sealed class FakeConformanceTests : IDisposable
{
    private const string ImportId = "5b0c7a2e-8d4f-4e61-9a3b-7c2d1e0f9a8b";
    private const string SourceUuid = "ds_7a1b2c3d-4e5f-6789-abcd-ef0123456789";

    private static readonly string[] OptionalDataSourceMembers = ["processing_status", "auto_churn_subscription_setting", "invoice_handling_setting"];

    private static readonly string[] TokenReplyTerms = ["access_token", "expires (epoch seconds)", "expires_in", "grant_type=client_credentials"];

    private readonly FakeBillingServer _server = new();

    public void Dispose() => _server.Dispose();

    /// <summary>A script, the request that polls it, and the statuses the polls must answer with.</summary>
    private sealed record Case(string OperationId, string Path, Action<FakeBillingServer> Arrange, int[] Statuses, bool Authorized = true);

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        ["import pending, started, success"] = new(
            "GetImport", ImportPath(ImportId),
            server => server.Imports.Add(ImportId).Pending().Started(polls: 2).Succeeds(),
            [200, 200, 200, 200, 200]),
        ["import started, 429, 500, 404, unknown status, failed"] = new(
            "GetImport", ImportPath(ImportId),
            server => server.Imports.Add(ImportId).WithUploadedRecords((RecordTypes.Product, 1), (RecordTypes.Subscriber, 50)).WithExternalRef("nightly-7").Started().RateLimited().ServerError().NotFound().Reports("queued").Fails(),
            [200, 429, 500, 404, 200, 200, 200]),
        ["import failed before starting"] = new(
            "GetImport", ImportPath(ImportId),
            server => server.Imports.Add(ImportId).Pending().Fails(),
            [200, 200]),
        ["import unknown id"] = new("GetImport", ImportPath("12345678-1234-1234-1234-123456789abc"), _ => { }, [404]),
        ["import malformed id"] = new("GetImport", ImportPath("not-a-uuid"), _ => { }, [400]),
        ["import without token"] = new("GetImport", ImportPath(ImportId), server => server.Imports.Add(ImportId).Succeeds(), [401], Authorized: false),
        ["import spec examples"] = new("GetImport", ImportPath("11111111-2222-3333-4444-555555555555"), _ => { }, [200, 200]),
        ["source never imported, working, idle, with every flag"] = new(
            "GetDataSource", SourcePath(SourceUuid) + "?with_processing_status=true&with_auto_churn_subscription_setting=true&with_invoice_handling_setting=true",
            server => server.DataSources.Add(SourceUuid).NeverImported().Working(polls: 2).Idle(),
            [200, 200, 200, 200]),
        ["source importing, 429, 500, 404, unknown status, import complete"] = new(
            "GetDataSource", SourcePath(SourceUuid) + "?with_processing_status=true",
            server => server.DataSources.Add(SourceUuid).Importing().RateLimited().ServerError().NotFound().Reports("paused").ImportComplete(),
            [200, 429, 500, 404, 200, 200]),
        ["source without system"] = new(
            "GetDataSource", SourcePath(SourceUuid),
            server => server.DataSources.Add(SourceUuid).WithSystem(null).Idle(),
            [200]),
        ["source unknown uuid"] = new("GetDataSource", SourcePath("ds_unknown"), _ => { }, [404]),
        ["source malformed uuid"] = new("GetDataSource", SourcePath("12345"), _ => { }, [422]),
        ["source without api key"] = new("GetDataSource", SourcePath(SourceUuid), server => server.DataSources.Add(SourceUuid).Idle(), [401], Authorized: false),
        ["source spec example with settings"] = new("GetDataSource", SourcePath("ds_ade45e52-47a4-231a-1ed2-eb6b9e541213"), _ => { }, [200]),
        ["source spec example, every flag"] = new(
            "GetDataSource", SourcePath("ds_fef05d54-47b4-431b-aed2-eb6b9e545430") + "?with_processing_status=true&with_auto_churn_subscription_setting=true&with_invoice_handling_setting=true",
            _ => { },
            [200]),
        ["import errors, first and last page"] = new(
            "ListImportErrors", ImportPath(ImportId) + "/errors?page[offset]=0&page[limit]=2",
            server => server.Imports.Add(ImportId).Fails().WithErrors(new FakeImportError(3, null, "duplicate line"), new FakeImportError(1, "plan_id", "not found", "sub-1")),
            [200]),
        ["import errors, many, default page"] = new("ListImportErrors", ImportPath(ImportId) + "/errors", server => server.Imports.Add(ImportId).Fails().WithErrors(30), [200]),
        ["import errors, none"] = new("ListImportErrors", ImportPath(ImportId) + "/errors", server => server.Imports.Add(ImportId).Succeeds(), [200]),
        ["import errors, spec example job"] = new("ListImportErrors", ImportPath("99999999-8888-7777-6666-555555555555") + "/errors", _ => { }, [200]),
        ["import errors, offset past the limit"] = new("ListImportErrors", ImportPath(ImportId) + "/errors?page[offset]=10001", server => server.Imports.Add(ImportId).Fails(), [400]),
        ["import errors, page too large"] = new("ListImportErrors", ImportPath(ImportId) + "/errors?page[limit]=101", server => server.Imports.Add(ImportId).Fails(), [400]),
        ["import errors, unknown id"] = new("ListImportErrors", ImportPath("12345678-1234-1234-1234-123456789abc") + "/errors", _ => { }, [404]),
        ["import errors without token"] = new("ListImportErrors", ImportPath(ImportId) + "/errors", server => server.Imports.Add(ImportId).Fails(), [401], Authorized: false),
    };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task EveryBodyTheFakeSends_ValidatesAgainstTheSpecSchemaForItsStatus(string name)
    {
        var @case = Cases[name];
        @case.Arrange(_server);
        using var client = !@case.Authorized
            ? new HttpClient { BaseAddress = _server.BaseAddress }
            : @case.OperationId == "GetDataSource" ? _server.CreateChartMogulHttpClient() : _server.CreateElasticPathHttpClient();

        var statuses = new List<int>();
        var failures = new List<string>();
        foreach (var _ in @case.Statuses)
        {
            using var response = await client.GetAsync(new Uri(@case.Path.TrimStart('/'), UriKind.Relative), TestContext.Token);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(TestContext.Token);
            statuses.Add(status);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            failures.AddRange(SpecSchemas.Errors(SpecSchemas.ForResponse(@case.OperationId, status), body).Select(error => $"poll {statuses.Count} ({status}): {error} in {body}"));
        }

        Assert.Equal(@case.Statuses, statuses);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task SpecExamples_AreServedAsTheSpecWritesThem()
    {
        using var imports = _server.CreateElasticPathHttpClient();
        using var sources = _server.CreateChartMogulHttpClient();

        foreach (var example in SpecDocument.Examples().Where(e => e.Status == "200" && e.OperationId is "GetImport" or "GetDataSource"))
        {
            var expected = JsonNode.Parse(example.Json)!;

            // A data source example is served as the service answers: with the with_* members it holds only when asked for them.
            var path = example.OperationId == "GetImport"
                ? ImportPath((string)expected["data"]!["id"]!)
                : SourcePath((string)expected["uuid"]!) + "?" + string.Join('&', OptionalDataSourceMembers
                    .Select(member => $"with_{member}={(expected.AsObject().ContainsKey(member) ? "true" : "false")}"));

            // The two examples that share an id are served in document order, one per request.
            var served = await (example.OperationId == "GetImport" ? imports : sources).GetStringAsync(new Uri(path.TrimStart('/'), UriKind.Relative), TestContext.Token);

            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(served)), $"{example}: served {served}");
        }
    }

    [Fact]
    public async Task SpecErrorsExample_IsServedForTheFailedExampleJob()
    {
        using var imports = _server.CreateElasticPathHttpClient();
        var example = JsonNode.Parse(SpecDocument.Examples().Single(e => e.OperationId == "ListImportErrors" && e.Status == "200").Json)!;
        var failedJob = JsonNode.Parse(SpecDocument.Examples().Single(e => e.OperationId == "GetImport" && e.Name == "failed").Json)!;

        var served = JsonNode.Parse(await imports.GetStringAsync(new Uri(ImportPath((string)failedJob["data"]!["id"]!).TrimStart('/') + "/errors", UriKind.Relative), TestContext.Token))!;

        // Ids and links are the fake's own (its address, its page size); each failing line is the spec's.
        var expectedLines = example["data"]!.AsArray().Select(error => error!["meta"]!.ToJsonString()).ToList();
        Assert.Equal(expectedLines, served["data"]!.AsArray().Select(error => error!["meta"]!.ToJsonString()));
        Assert.All(served["data"]!.AsArray(), error => Assert.Equal("subscription_import_error", (string?)error!["type"]));
    }

    [Fact]
    public async Task TokenReply_HasTheMembersTheSecuritySchemeDocuments()
    {
        var description = (string)SpecDocument.Root["components"]!["securitySchemes"]!["elasticPathClientCredentials"]!["description"]!;

        // The spec documents the token reply only in prose, so the schema is written here from it;
        // the prose check below keeps the two together.
        var schema = await JsonSchema.FromJsonAsync(
            """
            {
              "type": "object",
              "required": ["access_token", "token_type", "expires", "expires_in", "identifier"],
              "properties": {
                "access_token": { "type": "string", "minLength": 1 },
                "token_type": { "type": "string", "enum": ["Bearer"] },
                "expires": { "type": "integer" },
                "expires_in": { "type": "integer", "minimum": 1 },
                "identifier": { "type": "string", "enum": ["client_credentials"] }
              }
            }
            """, TestContext.Token);
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        using var form = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", _server.ClientId), new("client_secret", _server.ClientSecret)]);

        using var reply = await http.PostAsync(_server.TokenEndpoint, form, TestContext.Token);
        var body = await reply.Content.ReadAsStringAsync(TestContext.Token);

        Assert.All(TokenReplyTerms, term => Assert.Contains(term, description, StringComparison.Ordinal));
        Assert.Empty(SpecSchemas.Errors(schema, body));
    }

    [Theory]
    [InlineData("SubscriptionImportDocument", """{"data":{"id":"x","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:00:00Z"},"records":{"uploaded":{"subscription_plan":"two"},"imported":{}}}}}""")]
    [InlineData("SubscriptionImportDocument", """{"data":{"id":"x","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:00:00Z"},"records":{"uploaded":{"subscription_plan":-1},"imported":{}}}}}""")]
    [InlineData("SubscriptionImportDocument", """{"data":{"id":"x","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:00:00Z"}}}}""")]
    [InlineData("SubscriptionImportDocument", """{"data":{"id":"x","type":"subscription_import"}}""")]
    [InlineData("SubscriptionImportErrorPage", """{"data":[{"id":"e1","type":"subscription_import_error","meta":{"field":"plan_id"}}]}""")]
    [InlineData("DataSource", """{"uuid":"ds_1","name":"n"}""")]
    [InlineData("DataSource", """{"uuid":"ds_1","name":"n","status":"idle","created_at":"yesterday"}""")]
    [InlineData("JsonApiErrorDocument", """{"errors":{"status":404}}""")]
    public void SchemaCheck_RejectsBodiesThatBreakTheSpec(string schemaName, string json) =>
        Assert.NotEmpty(SpecSchemas.Errors(SpecSchemas.Named(schemaName), json));

    private static string ImportPath(string id) => "/v2/subscriptions/imports/" + id;

    private static string SourcePath(string uuid) => "/v1/data_sources/" + uuid;
}
