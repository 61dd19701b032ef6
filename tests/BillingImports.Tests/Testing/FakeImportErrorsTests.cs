using System.Net;
using System.Text.Json.Nodes;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Testing;

/// <summary>
/// The fake's import errors endpoint, paged as the service pages it, its import scripts'
/// <c>external_ref</c>, and the <c>with_*</c> flags on every kind of data source it serves.
/// </summary>
public sealed class FakeImportErrorsTests : IDisposable
{
    private const string ImportId = "8f14e45f-ceea-4e67-a7b9-3c1d2e0f4a5b";
    private const string FailedExampleId = "99999999-8888-7777-6666-555555555555";
    private const string ErrorsPath = "v2/subscriptions/imports/" + ImportId + "/errors";

    private readonly FakeBillingServer _server = new();
    private readonly HttpClient _elasticPath;
    private readonly HttpClient _chartMogul;

    public FakeImportErrorsTests()
    {
        _elasticPath = _server.CreateElasticPathHttpClient();
        _chartMogul = _server.CreateChartMogulHttpClient();
    }

    public void Dispose()
    {
        _elasticPath.Dispose();
        _chartMogul.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Errors_DefaultPage_Holds25WithAbsoluteLinksAndCounts()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(30);

        var page = await GetJsonAsync(ErrorsPath);

        Assert.Equal(25, page["data"]!.AsArray().Count);
        Assert.Equal(2, (long)page["data"]![0]!["meta"]!["line_number"]!);
        var links = page["links"]!.AsObject();
        Assert.Equal(Link(0, 25), (string?)links["current"]);
        Assert.Equal(Link(0, 25), (string?)links["first"]);
        Assert.Equal(Link(25, 25), (string?)links["last"]);
        Assert.Equal(Link(25, 25), (string?)links["next"]);
        Assert.False(links.ContainsKey("prev"));
        Assert.Equal("""{"limit":25,"offset":0,"current":1,"total":2}""", page["meta"]!["page"]!.ToJsonString());
        Assert.Equal(30, (long)page["meta"]!["results"]!["total"]!);
    }

    [Fact]
    public async Task Errors_LastPage_HasNoNextLink()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(30);

        var page = await GetJsonAsync(ErrorsPath + "?page[offset]=25&page[limit]=25");

        Assert.Equal([27L, 28, 29, 30, 31], page["data"]!.AsArray().Select(error => (long)error!["meta"]!["line_number"]!));
        Assert.False(page["links"]!.AsObject().ContainsKey("next"));
        Assert.Equal(Link(0, 25), (string?)page["links"]!["prev"]);
    }

    [Fact]
    public async Task Errors_PageEndingExactlyAtTheLastError_HasNoNextLink()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(4);

        var page = await GetJsonAsync(ErrorsPath + "?page[offset]=2&page[limit]=2");

        Assert.Equal(2, page["data"]!.AsArray().Count);
        Assert.False(page["links"]!.AsObject().ContainsKey("next"));
    }

    [Theory]
    [InlineData("page[offset]=-1")]
    [InlineData("page[offset]=10001")]
    [InlineData("page[limit]=0")]
    [InlineData("page[limit]=101")]
    [InlineData("page[offset]=5&page[limit]=-3")]
    public async Task Errors_PageOutsideTheServicesBounds_Is400JsonApi(string query)
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(3);

        using var response = await _elasticPath.GetAsync(new Uri(ErrorsPath + "?" + query, UriKind.Relative), TestContext.Token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Token))!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("page[offset] must be from 0 to 10000 and page[limit] from 1 to 100", (string?)body["errors"]![0]!["detail"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("page[offset]=0&page[limit]=1", 1)]
    [InlineData("page[offset]=10000&page[limit]=100", 0)]
    [InlineData("page[limit]=100", 3)]
    public async Task Errors_PageAtTheServicesBounds_IsServed(string query, int count)
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(3);

        var page = await GetJsonAsync(ErrorsPath + "?" + query);

        Assert.Equal(count, page["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Errors_AreServedInLineOrderWithTheirFields()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(
            new FakeImportError(42, "email", "is not a valid email address", "sub-0042"),
            new FakeImportError(17, "plan_id", "not found"),
            new FakeImportError(43, null, "duplicate line", "sub-0042"));

        var page = await GetJsonAsync(ErrorsPath);

        var errors = page["data"]!.AsArray();
        Assert.Equal([17L, 42, 43], errors.Select(error => (long)error!["meta"]!["line_number"]!));
        Assert.Equal("""{"line_number":17,"field":"plan_id","error":"not found"}""", errors[0]!["meta"]!.ToJsonString());
        Assert.Equal("""{"line_number":43,"error":"duplicate line","external_ref":"sub-0042"}""", errors[2]!["meta"]!.ToJsonString());
        Assert.All(errors, error => Assert.Equal("subscription_import_error", (string?)error!["type"]));
        Assert.Equal(3, errors.Select(error => (string?)error!["id"]).Distinct().Count());
    }

    [Fact]
    public async Task Errors_IdsAreTheSameOnEveryRun()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(2);
        using var other = new FakeBillingServer();
        other.Imports.Add(ImportId).Fails().WithErrors(2);
        using var otherHttp = other.CreateElasticPathHttpClient();

        var first = await GetJsonAsync(ErrorsPath);
        var second = JsonNode.Parse(await otherHttp.GetStringAsync(new Uri(ErrorsPath, UriKind.Relative), TestContext.Token))!;

        Assert.Equal(first["data"]!.ToJsonString(), second["data"]!.ToJsonString());
    }

    [Fact]
    public async Task WithErrorsCount_GeneratesLinesFromTwo()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(3);

        var page = await GetJsonAsync(ErrorsPath);

        Assert.Equal(
            ["""{"line_number":2,"field":"plan_id","error":"not found","external_ref":"line-2"}""", """{"line_number":3,"field":"plan_id","error":"not found","external_ref":"line-3"}""", """{"line_number":4,"field":"plan_id","error":"not found","external_ref":"line-4"}"""],
            page["data"]!.AsArray().Select(error => error!["meta"]!.ToJsonString()));
    }

    [Fact]
    public async Task Errors_ReadingThemDoesNotMoveTheJobsScript()
    {
        _server.Imports.Add(ImportId).Pending().Succeeds().WithErrors(2);

        await GetJsonAsync(ErrorsPath);
        await GetJsonAsync(ErrorsPath);
        var job = await GetJsonAsync("v2/subscriptions/imports/" + ImportId);

        Assert.Equal("pending", (string?)job["data"]!["attributes"]!["status"]);
    }

    [Fact]
    public async Task Errors_OfAJobWithoutAny_IsAnEmptyPage()
    {
        _server.Imports.Add(ImportId).Succeeds();

        var page = await GetJsonAsync(ErrorsPath);

        Assert.Empty(page["data"]!.AsArray());
        Assert.Equal(0, (long)page["meta"]!["results"]!["total"]!);
        Assert.False(page["links"]!.AsObject().ContainsKey("next"));
    }

    [Fact]
    public async Task Errors_UnknownJob_Is404NamingIt()
    {
        const string unknown = "12345678-1234-1234-1234-123456789abc";

        using var response = await _elasticPath.GetAsync(new Uri($"v2/subscriptions/imports/{unknown}/errors", UriKind.Relative), TestContext.Token);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Token))!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal([unknown], body["errors"]![0]!["meta"]!["missing_ids"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public async Task Errors_WithoutAToken_Is401()
    {
        _server.Imports.Add(ImportId).Fails().WithErrors(2);
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };

        using var response = await anonymous.GetAsync(new Uri(ErrorsPath, UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FailedSpecExampleJob_ServesTheSpecsFailingLinesThroughTheSdk()
    {
        using var client = _server.CreateElasticPathClient();

        var import = await client.SubscriptionImports.GetImportAsync(FailedExampleId, TestContext.Token);
        var errors = await client.SubscriptionImports.GetFirstImportErrorsAsync(FailedExampleId, 10, TestContext.Token);

        Assert.Equal(ImportStatus.Failed, import.Status);
        Assert.Equal(
            ["line 17, field plan_id: not found", "line 42, field email: is not a valid email address"],
            errors.Select(error => error.ToString()));
        Assert.Equal(["sub-0017", "sub-0042"], errors.Select(error => error.ExternalRef));
    }

    [Fact]
    public async Task WithExternalRef_IsSentInAttributesAndLeftOutWhenNull()
    {
        _server.Imports.Add(ImportId).WithExternalRef("nightly-2024-05-01").Pending();
        const string other = "0f1e2d3c-4b5a-4968-8776-655443322110";
        _server.Imports.Add(other).WithExternalRef("first").WithExternalRef(null).Pending();

        var given = await GetJsonAsync("v2/subscriptions/imports/" + ImportId);
        var cleared = await GetJsonAsync("v2/subscriptions/imports/" + other);

        Assert.Equal("""{"external_ref":"nightly-2024-05-01","status":"pending"}""", given["data"]!["attributes"]!.ToJsonString());
        Assert.Equal("""{"status":"pending"}""", cleared["data"]!["attributes"]!.ToJsonString());
    }

    [Fact]
    public async Task WithExternalRef_ReadsBackThroughTheSdkUpToTheDocumentedLength()
    {
        var longest = new string('x', 2048);
        _server.Imports.Add(ImportId).WithExternalRef(longest).Succeeds();
        using var client = _server.CreateElasticPathClient();

        var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(longest, import.ExternalRef);
        Assert.Throws<ArgumentException>(() => _server.Imports.Add(ImportId).WithExternalRef(longest + "x"));
    }

    [Fact]
    public void WithErrors_LineBelowOne_Throws()
    {
        var script = _server.Imports.Add(ImportId);

        Assert.Throws<ArgumentOutOfRangeException>(() => script.WithErrors(new FakeImportError(0, null, "bad")));
        Assert.Throws<ArgumentOutOfRangeException>(() => script.WithErrors(-1));
    }

    [Fact]
    public async Task ScriptedImport_SendsTheVendorShape()
    {
        _server.Imports.Add(ImportId).WithUploadedRecords((RecordTypes.Subscriber, 10)).Started().Succeeds();

        var started = await GetJsonAsync("v2/subscriptions/imports/" + ImportId);

        var data = started["data"]!.AsObject();
        Assert.Equal(["id", "type", "attributes", "meta"], data.Select(member => member.Key));
        Assert.Equal(["status"], data["attributes"]!.AsObject().Select(member => member.Key));
        Assert.Equal(["owner", "timestamps", "records"], data["meta"]!.AsObject().Select(member => member.Key));
        Assert.Equal("""{"uploaded":{"subscription_subscriber":10},"imported":{"subscription_subscriber":5}}""", data["meta"]!["records"]!.ToJsonString());
    }

    [Fact]
    public async Task SpecExampleSource_WithoutFlags_LeavesOutTheOptionalMembers()
    {
        var body = await GetSourceAsync("ds_ade45e52-47a4-231a-1ed2-eb6b9e541213", string.Empty);

        Assert.Equal(["uuid", "name", "system", "created_at", "status"], body.AsObject().Select(member => member.Key));
    }

    [Theory]
    [InlineData("with_processing_status=true", "processing_status")]
    [InlineData("with_auto_churn_subscription_setting=true", "auto_churn_subscription_setting")]
    [InlineData("with_invoice_handling_setting=true", "invoice_handling_setting")]
    public async Task SpecExampleSource_EachFlag_AddsOnlyItsMemberAsTheSpecWritesIt(string query, string member)
    {
        var example = JsonNode.Parse(SpecDocument.Examples().Single(e => e.OperationId == "GetDataSource" && e.Name == "integration_importing").Json)!;

        var body = await GetSourceAsync("ds_ade45e52-47a4-231a-1ed2-eb6b9e541213", query);

        Assert.Equal(["uuid", "name", "system", "created_at", "status", member], body.AsObject().Select(pair => pair.Key));
        Assert.True(JsonNode.DeepEquals(example[member], body[member]), body.ToJsonString());
    }

    [Fact]
    public async Task SpecExampleSourceWithoutTheMembers_EveryFlag_GetsMembersConsistentWithItsStatus()
    {
        var example = JsonNode.Parse(SpecDocument.Examples().Single(e => e.OperationId == "GetDataSource" && e.Name == "integration_importing").Json)!;
        using var client = _server.CreateChartMogulClient();

        var idle = await client.DataSources.GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", true, true, true, TestContext.Token);
        var working = await client.DataSources.GetDataSourceAsync("ds_9f3ea6b8-6c1b-11ee-8f1c-3f4b1c2d5e6f", withProcessingStatus: true, cancellationToken: TestContext.Token);
        var body = await GetSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", "with_auto_churn_subscription_setting=true&with_invoice_handling_setting=true");

        Assert.Equal(new DataSourceProcessingStatus(100, 0, 0), idle.ProcessingStatus);
        Assert.Equal(new AutoChurnSubscriptionSetting(true, 7), idle.AutoChurnSubscriptionSetting);
        Assert.Equal(new InvoiceHandlingRules("open", "open", true, false, true), idle.InvoiceHandlingSetting!.Manual);
        Assert.Equal(new DataSourceProcessingStatus(50, 50, 0), working.ProcessingStatus);
        Assert.Null(working.AutoChurnSubscriptionSetting);
        Assert.True(JsonNode.DeepEquals(example["invoice_handling_setting"], body["invoice_handling_setting"]));
    }

    [Fact]
    public async Task ScriptedSource_FlagSetToFalse_LeavesTheMemberOut()
    {
        _server.DataSources.Add("ds_flags").Importing();

        var body = await GetSourceAsync("ds_flags", "with_processing_status=false&with_auto_churn_subscription_setting=TRUE");

        Assert.False(body.AsObject().ContainsKey("processing_status"));
        Assert.True(body.AsObject().ContainsKey("auto_churn_subscription_setting"));
    }

    private string Link(long offset, long limit) => $"{_server.BaseAddress.AbsoluteUri}{ErrorsPath}?page[offset]={offset}&page[limit]={limit}";

    private async Task<JsonNode> GetSourceAsync(string uuid, string query) =>
        JsonNode.Parse(await _chartMogul.GetStringAsync(new Uri($"v1/data_sources/{uuid}{(query.Length > 0 ? "?" + query : string.Empty)}", UriKind.Relative), TestContext.Token))!;

    private async Task<JsonNode> GetJsonAsync(string pathAndQuery)
    {
        using var response = await _elasticPath.GetAsync(new Uri(pathAndQuery, UriKind.Relative), TestContext.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Token))!;
    }
}
