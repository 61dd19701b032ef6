using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Testing;

public sealed class FakeBillingServerTests : IDisposable
{
    private const string ImportId = "0e6f9d0c-3b1a-4f2e-9c55-2f1d7e3a4b60";
    private const string SourceUuid = "ds_5d7e8f90-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
    private const string ImportPath = "/v2/subscriptions/imports/" + ImportId;
    private const string SourcePath = "/v1/data_sources/" + SourceUuid;

    private readonly FakeBillingServer _server = new();
    private readonly HttpClient _chartMogul;
    private readonly HttpClient _elasticPath;
    private readonly HttpClient _anonymous;

    public FakeBillingServerTests()
    {
        _chartMogul = _server.CreateChartMogulHttpClient();
        _elasticPath = _server.CreateElasticPathHttpClient();
        _anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public void Dispose()
    {
        _chartMogul.Dispose();
        _elasticPath.Dispose();
        _anonymous.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Import_PendingStartedTwiceThenSucceeds_ImportedCountsGrowEachPollUpToUploaded()
    {
        _server.Imports.Add(ImportId).Pending().Started(polls: 2).Succeeds();
        var client = new SubscriptionImportsClient(_elasticPath);

        var polls = new List<SubscriptionImport>();
        for (var i = 0; i < 5; i++)
        {
            polls.Add(await client.GetImportAsync(ImportId, TestContext.Token));
        }

        Assert.Equal(["pending", "started", "started", "success", "success"], polls.Select(p => p.Status.Value));
        var imported = polls.Select(p => p.Records.Imported.Total).ToList();
        var uploaded = polls[0].Records.Uploaded.Total;
        Assert.True(uploaded > 0);
        Assert.Equal(0, imported[0]);
        Assert.True(imported[0] < imported[1] && imported[1] < imported[2] && imported[2] < imported[3], string.Join(", ", imported));
        Assert.Equal(uploaded, imported[3]);
        Assert.All(polls, p => Assert.Equal(uploaded, p.Records.Uploaded.Total));

        // Every record type grows, not just the total; by default the keys of the spec's success example.
        Assert.Equal([RecordTypes.Offering, RecordTypes.Subscription, RecordTypes.Feature], polls[0].Records.Uploaded.Keys);
        foreach (var type in polls[0].Records.Uploaded.Keys)
        {
            var counts = polls.Select(p => p.Records.Imported[type]).ToList();
            Assert.Equal(counts.Order(), counts);
            Assert.Equal(polls[0].Records.Uploaded[type], counts[^1]);
        }
    }

    [Fact]
    public async Task Import_Timestamps_StartedAtAppearsOnceStartedAndFinishedAtOnceFinished()
    {
        _server.Imports.Add(ImportId).Pending().Started().Succeeds();

        var pending = await GetJsonAsync(_elasticPath, ImportPath);
        var started = await GetJsonAsync(_elasticPath, ImportPath);
        var success = await GetJsonAsync(_elasticPath, ImportPath);
        var again = await GetJsonAsync(_elasticPath, ImportPath);

        var timestamps = new[] { pending, started, success, again }.Select(body => body["data"]!["meta"]!["timestamps"]!.AsObject()).ToList();
        Assert.False(timestamps[0].ContainsKey("started_at"));
        Assert.True(timestamps[1].ContainsKey("started_at"));
        Assert.False(timestamps[1].ContainsKey("finished_at"));
        Assert.Equal((string?)timestamps[2]["updated_at"], (string?)timestamps[2]["finished_at"]);
        Assert.Equal(timestamps[2].ToJsonString(), timestamps[3].ToJsonString());
        var updated = timestamps.Take(3).Select(t => DateTimeOffset.Parse((string)t["updated_at"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(updated.Order(), updated);
        Assert.Equal(3, updated.Distinct().Count());
    }

    [Fact]
    public async Task Import_FailsAfterStarting_KeepsCountsWhereTheJobStopped()
    {
        _server.Imports.Add(ImportId).WithUploadedRecords((RecordTypes.Subscriber, 50), (RecordTypes.Plan, 2)).Started(polls: 3).Fails();
        var client = new SubscriptionImportsClient(_elasticPath);

        SubscriptionImport? lastStarted = null;
        for (var i = 0; i < 3; i++)
        {
            lastStarted = await client.GetImportAsync(ImportId, TestContext.Token);
        }

        var failed = await client.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportStatus.Failed, failed.Status);
        Assert.Equal(new RecordCounts([new(RecordTypes.Subscriber, 50), new(RecordTypes.Plan, 2)]), failed.Records.Uploaded);
        Assert.Equal(lastStarted!.Records.Imported, failed.Records.Imported);
        Assert.Equal(37, failed.Records.Imported.Subscribers);
        Assert.Equal(1, failed.Records.Imported.Plans);
        Assert.NotNull(failed.Timestamps.FinishedAt);
    }

    [Fact]
    public async Task Import_WaitForCompletion_PollsTheFakeToSuccessReportingGrowingProgress()
    {
        _server.Imports.Add(ImportId).Pending().Started(polls: 3).Succeeds();
        var progress = new RecordingProgress<ImportProgress>();

        var import = await new SubscriptionImportsClient(_elasticPath).WaitForCompletionAsync(
            ImportId, new PollingOptions { TimeProvider = new VirtualTime() }, progress, TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(["pending", "started", "started", "started", "success"], progress.Reports.Select(r => r.Status.Value));
        var imported = progress.Reports.Select(r => r.Imported).ToList();
        Assert.Equal(imported.Distinct().Order(), imported);
        Assert.Equal(progress.Reports[^1].Uploaded, imported[^1]);
        Assert.Equal(5, _server.RequestCount(ImportPath));
    }

    [Fact]
    public async Task Import_WaitForCompletion_RidesOutRateLimitAndServerErrorSteps()
    {
        _server.Imports.Add(ImportId).Pending().RateLimited(TimeSpan.FromSeconds(2)).ServerError().Started().Succeeds();

        var import = await new SubscriptionImportsClient(_elasticPath).WaitForCompletionAsync(
            ImportId, new PollingOptions { TimeProvider = new VirtualTime() }, cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal([200, 429, 500, 200, 200], _server.Requests.Where(r => r.Path == ImportPath).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Import_WaitForCompletion_OnAFailingImport_ThrowsImportFailedException()
    {
        _server.Imports.Add(ImportId).Started(polls: 2).Fails();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => new SubscriptionImportsClient(_elasticPath)
            .WaitForCompletionAsync(ImportId, new PollingOptions { TimeProvider = new VirtualTime() }, cancellationToken: TestContext.Token));

        Assert.Equal(ImportId, failure.ImportId);
        Assert.True(failure.Imported.Total < failure.Uploaded.Total);
    }

    [Fact]
    public async Task DataSource_WorkingThenIdle_ProcessingCountsGrowWhenAskedFor()
    {
        _server.DataSources.Add(SourceUuid).Working(polls: 2).Idle();
        var client = new DataSourcesClient(_chartMogul);

        var sources = new List<DataSource>();
        for (var i = 0; i < 4; i++)
        {
            sources.Add(await client.GetDataSourceAsync(SourceUuid, withProcessingStatus: true, cancellationToken: TestContext.Token));
        }

        Assert.Equal(["working", "working", "idle", "idle"], sources.Select(s => s.Status.Value));
        var processed = sources.Select(s => s.ProcessingStatus!.Processed!.Value).ToList();
        var pending = sources.Select(s => s.ProcessingStatus!.Pending!.Value).ToList();
        Assert.True(processed[0] < processed[1] && processed[1] < processed[2], string.Join(", ", processed));
        Assert.Equal(0, pending[2]);
        Assert.All(sources, s => Assert.Equal(100, s.ProcessingStatus!.Processed + s.ProcessingStatus.Pending));
    }

    [Fact]
    public async Task DataSource_WithoutQueryFlags_LeavesOutTheOptionalMembers()
    {
        _server.DataSources.Add(SourceUuid).Working();

        var body = await GetJsonAsync(_chartMogul, SourcePath);

        Assert.Equal(["uuid", "name", "system", "created_at", "status"], body.AsObject().Select(member => member.Key));
    }

    [Fact]
    public async Task DataSource_SettingsFlags_AddTheSpecExampleSettings()
    {
        _server.DataSources.Add(SourceUuid).Importing();

        var body = await GetJsonAsync(_chartMogul, SourcePath + "?with_auto_churn_subscription_setting=true&with_invoice_handling_setting=true");

        var example = SpecDocument.Examples().Single(e => e.OperationId == "GetDataSource" && e.Name == "integration_importing");
        var expected = JsonNode.Parse(example.Json)!;
        Assert.True(JsonNode.DeepEquals(expected["auto_churn_subscription_setting"], body["auto_churn_subscription_setting"]));
        Assert.True(JsonNode.DeepEquals(expected["invoice_handling_setting"], body["invoice_handling_setting"]));
        Assert.False(body.AsObject().ContainsKey("processing_status"));
    }

    [Fact]
    public async Task DataSource_ImportingThenImportComplete_ReportsTheIntegrationStatusesThroughTheWait()
    {
        _server.DataSources.Add(SourceUuid).NeverImported().Importing(polls: 2).ImportComplete();
        var progress = new RecordingProgress<DataSourceProgress>();

        var source = await new DataSourcesClient(_chartMogul).WaitForCompletionAsync(
            SourceUuid, new PollingOptions { TimeProvider = new VirtualTime() }, progress, TestContext.Token);

        Assert.Equal(DataSourceStatus.ImportComplete, source.Status);
        Assert.Equal(["never_imported", "importing", "importing", "import_complete"], progress.Reports.Select(r => r.Status.Value));
    }

    [Fact]
    public async Task DataSource_WithNameAndNoSystem_ReportsThemLikeAnOlderSource()
    {
        _server.DataSources.Add(SourceUuid).WithName("Legacy CSV").WithSystem(null).Reports("archived");

        var source = await new DataSourcesClient(_chartMogul).GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        Assert.Equal("Legacy CSV", source.Name);
        Assert.Null(source.System);
        Assert.Equal("archived", source.Status.Value);
        Assert.False(source.Status.IsKnown);
    }

    [Fact]
    public async Task DefaultServer_AnswersTheSpecExampleIds_TheSharedImportIdGoesPendingThenSuccess()
    {
        var imports = new SubscriptionImportsClient(_elasticPath);
        const string shared = "11111111-2222-3333-4444-555555555555";

        var first = await imports.GetImportAsync(shared, TestContext.Token);
        var second = await imports.GetImportAsync(shared, TestContext.Token);
        var third = await imports.GetImportAsync(shared, TestContext.Token);
        var failed = await imports.GetImportAsync("99999999-8888-7777-6666-555555555555", TestContext.Token);
        var idle = await new DataSourcesClient(_chartMogul).GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);

        Assert.Equal(["pending", "success", "success"], new[] { first, second, third }.Select(i => i.Status.Value));
        Assert.Equal(ImportStatus.Failed, failed.Status);
        Assert.Equal(37, failed.Records.Imported.Subscribers);
        Assert.Equal(DataSourceStatus.Idle, idle.Status);
    }

    [Fact]
    public async Task ServeSpecExamplesOff_KnowsOnlyWhatTheTestAdds()
    {
        using var server = new FakeBillingServer(new FakeBillingServerOptions { ServeSpecExamples = false });
        using var http = server.CreateElasticPathHttpClient();

        var response = await http.GetAsync(new Uri("v2/subscriptions/imports/11111111-2222-3333-4444-555555555555", UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public static TheoryData<string?> WrongBasicCredentials() => new()
    {
        null,
        "Basic " + Base64("wrong-key:"),
        "Basic " + Base64("test-api-key:password"),
        "Basic " + Base64("test-api-key"),
        "Basic not-base64!",
        "Bearer test-api-key",
    };

    [Theory]
    [MemberData(nameof(WrongBasicCredentials))]
    public async Task ChartMogul_WithoutTheApiKeyAsBasicUserWithEmptyPassword_Is401WithCodeMessageParam(string? authorization)
    {
        _server.DataSources.Add(SourceUuid).Idle();

        var (status, body) = await SendAsync(HttpMethod.Get, SourcePath, authorization);

        Assert.Equal(401, status);
        Assert.Equal(401, (int)body["code"]!);
        Assert.Equal("No valid API key provided", (string?)body["message"]);
        Assert.True(body.AsObject().ContainsKey("param"));
    }

    [Fact]
    public async Task ChartMogul_ApiKeyAsBasicUserWithEmptyPassword_IsAccepted()
    {
        _server.DataSources.Add(SourceUuid).Idle();

        var (status, _) = await SendAsync(HttpMethod.Get, SourcePath, "basic " + Base64("test-api-key:"));

        Assert.Equal(200, status);
    }

    public static TheoryData<string?> WrongBearerCredentials() => new()
    {
        null,
        "Bearer fake-access-token-999",
        "Bearer ",
        "Basic " + Base64("test-client-id:test-client-secret"),
    };

    [Theory]
    [MemberData(nameof(WrongBearerCredentials))]
    public async Task ElasticPath_WithoutATokenTheFakeIssued_Is401JsonApi(string? authorization)
    {
        _server.Imports.Add(ImportId).Succeeds();

        var (status, body) = await SendAsync(HttpMethod.Get, ImportPath, authorization);

        Assert.Equal(401, status);
        Assert.Equal("Unauthorized", (string?)body["errors"]![0]!["title"]);
        Assert.Equal(0, _server.Requests.Count(r => r.Path == ImportPath && r.StatusCode == 200));
    }

    [Fact]
    public async Task ElasticPath_RejectedRequests_DoNotMoveTheScript()
    {
        _server.Imports.Add(ImportId).Pending().Succeeds();

        await SendAsync(HttpMethod.Get, ImportPath, authorization: null);
        var first = await GetJsonAsync(_elasticPath, ImportPath);

        Assert.Equal("pending", (string?)first["data"]!["attributes"]!["status"]);
    }

    [Fact]
    public async Task TokenEndpoint_ClientCredentials_IssuesABearerTokenTheImportsEndpointAccepts()
    {
        _server.Imports.Add(ImportId).Succeeds();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var reply = await _anonymous.PostAsync(new Uri("oauth/access_token", UriKind.Relative), TokenForm("test-client-id", "test-client-secret"), TestContext.Token);
        var token = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Token))!;

        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("Bearer", (string?)token["token_type"]);
        Assert.Equal("client_credentials", (string?)token["identifier"]);
        Assert.Equal(3600, (long)token["expires_in"]!);
        Assert.InRange((long)token["expires"]!, before + 3600, before + 3600 + 60);
        var (status, _) = await SendAsync(HttpMethod.Get, ImportPath, "Bearer " + (string)token["access_token"]!);
        Assert.Equal(200, status);
    }

    [Theory]
    [InlineData("test-client-id", "wrong-secret")]
    [InlineData("wrong-id", "test-client-secret")]
    public async Task TokenEndpoint_WrongClientCredentials_Is401JsonApi(string clientId, string clientSecret)
    {
        using var reply = await _anonymous.PostAsync(new Uri("oauth/access_token", UriKind.Relative), TokenForm(clientId, clientSecret), TestContext.Token);
        var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Token))!;

        Assert.Equal(HttpStatusCode.Unauthorized, reply.StatusCode);
        Assert.False(body.AsObject().ContainsKey("access_token"));
        Assert.Equal("Unauthorized", (string?)body["errors"]![0]!["title"]);
    }

    [Fact]
    public async Task TokenEndpoint_OtherGrantType_Is400JsonApi()
    {
        using var form = new FormUrlEncodedContent([new("grant_type", "password"), new("client_id", "test-client-id"), new("client_secret", "test-client-secret")]);
        using var reply = await _anonymous.PostAsync(new Uri("oauth/access_token", UriKind.Relative), form, TestContext.Token);
        var body = JsonNode.Parse(await reply.Content.ReadAsStringAsync(TestContext.Token))!;

        Assert.Equal(HttpStatusCode.BadRequest, reply.StatusCode);
        Assert.Contains("grant_type", (string?)body["errors"]![0]!["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ElasticPath_TokenPastItsLifetime_Is401()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var server = new FakeBillingServer(new FakeBillingServerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(5) });
        server.Imports.Add(ImportId).Succeeds();
        using var http = server.CreateElasticPathHttpClient();

        var fresh = await http.GetAsync(new Uri(ImportPath.TrimStart('/'), UriKind.Relative), TestContext.Token);
        time.Advance(TimeSpan.FromMinutes(5));
        var expired = await http.GetAsync(new Uri(ImportPath.TrimStart('/'), UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task RevokeAccessTokens_MakesTokensIssuedSoFarInvalid()
    {
        _server.Imports.Add(ImportId).Succeeds();

        _server.RevokeAccessTokens();
        var revoked = await _elasticPath.GetAsync(new Uri(ImportPath.TrimStart('/'), UriKind.Relative), TestContext.Token);
        using var renewed = _server.CreateElasticPathHttpClient();
        var fresh = await renewed.GetAsync(new Uri(ImportPath.TrimStart('/'), UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task CustomCredentials_AreTheOnlyOnesAccepted()
    {
        using var server = new FakeBillingServer(new FakeBillingServerOptions { ApiKey = "k-123", ClientId = "id-1", ClientSecret = "s-1" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var defaults = await http.PostAsync(new Uri("oauth/access_token", UriKind.Relative), TokenForm("test-client-id", "test-client-secret"), TestContext.Token);
        using var custom = await http.PostAsync(new Uri("oauth/access_token", UriKind.Relative), TokenForm("id-1", "s-1"), TestContext.Token);
        using var chartMogul = server.CreateChartMogulHttpClient();
        var source = await chartMogul.GetAsync(new Uri("v1/data_sources/ds_fef05d54-47b4-431b-aed2-eb6b9e545430", UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, defaults.StatusCode);
        Assert.Equal(HttpStatusCode.OK, custom.StatusCode);
        Assert.Equal(HttpStatusCode.OK, source.StatusCode);
        Assert.Equal(("k-123", "id-1", "s-1"), (server.ApiKey, server.ClientId, server.ClientSecret));
    }

    [Fact]
    public async Task ChartMogul_UnknownUuid_Is404DataSourceNotFound()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/v1/data_sources/ds_00000000-0000-0000-0000-000000000000", BasicHeader());

        Assert.Equal(404, status);
        Assert.Equal("""{"error":"Data source not found"}""", body.ToJsonString());
    }

    [Fact]
    public async Task ChartMogul_UuidWithoutDsPrefix_Is422InvalidUuidRatherThan404()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/v1/data_sources/fef05d54-47b4-431b-aed2-eb6b9e545430", BasicHeader());

        Assert.Equal(422, status);
        Assert.Equal("Invalid UUID passed", (string?)body["error"]);
        Assert.Equal("invalid_uuid", (string?)body["error_details"]![0]!["code"]);
    }

    [Fact]
    public async Task ChartMogul_MalformedUuidWithoutCredentials_IsRejectedForCredentialsFirst()
    {
        var (status, _) = await SendAsync(HttpMethod.Get, "/v1/data_sources/not-a-uuid", authorization: null);

        Assert.Equal(401, status);
    }

    [Fact]
    public async Task ElasticPath_UnknownId_Is404JsonApiNamingTheMissingId()
    {
        const string unknown = "12345678-1234-1234-1234-123456789abc";

        var (status, body) = await SendAsync(HttpMethod.Get, "/v2/subscriptions/imports/" + unknown, BearerHeader());

        Assert.Equal(404, status);
        var error = body["errors"]![0]!;
        Assert.Equal("Not Found", (string?)error["title"]);
        Assert.Equal([unknown], error["meta"]!["missing_ids"]!.AsArray().Select(id => (string?)id));
    }

    [Fact]
    public async Task ElasticPath_IdThatIsNotAUuid_Is400JsonApi()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/v2/subscriptions/imports/not-a-uuid", BearerHeader());

        // The spec's (and the vendor documentation's) validation example.
        Assert.Equal(400, status);
        Assert.Equal("Validation Error", (string?)body["errors"]![0]!["title"]);
        Assert.Equal("400", (string?)body["errors"]![0]!["status"]);
    }

    [Theory]
    [InlineData("page%5Boffset%5D=2&page%5Blimit%5D=1")]
    [InlineData("page[offset]=2&page[limit]=1")]
    public async Task ImportErrors_PageParametersEscapedOrNot_AreRead(string query)
    {
        // Clients escape the brackets (the SDK's generated client does); the service reads both forms.
        _server.Imports.Add(ImportId).Fails().WithErrors(5);

        var page = await GetJsonAsync(_elasticPath, ImportPath + "/errors?" + query);

        Assert.Equal([4L], page["data"]!.AsArray().Select(error => (long)error!["meta"]!["line_number"]!));
        Assert.Equal("""{"limit":1,"offset":2,"current":3,"total":5}""", page["meta"]!["page"]!.ToJsonString());
    }

    [Fact]
    public async Task NotFoundStep_IsAnsweredWithTheVendorBodyThenTheScriptGoesOn()
    {
        _server.Imports.Add(ImportId).NotFound().Succeeds();
        _server.DataSources.Add(SourceUuid).NotFound(polls: 2).Idle();

        var import = new[] { await SendAsync(HttpMethod.Get, ImportPath, BearerHeader()), await SendAsync(HttpMethod.Get, ImportPath, BearerHeader()) };
        var source = new[] { await SendAsync(HttpMethod.Get, SourcePath, BasicHeader()), await SendAsync(HttpMethod.Get, SourcePath, BasicHeader()), await SendAsync(HttpMethod.Get, SourcePath, BasicHeader()) };

        Assert.Equal([404, 200], import.Select(r => r.Status));
        Assert.Equal([ImportId], import[0].Body["errors"]![0]!["meta"]!["missing_ids"]!.AsArray().Select(id => (string?)id));
        Assert.Equal([404, 404, 200], source.Select(r => r.Status));
        Assert.Equal("Data source not found", (string?)source[0].Body["error"]);
    }

    [Theory]
    [InlineData(2.0, "2")]
    [InlineData(2.5, "3")]
    [InlineData(0.0, "0")]
    public async Task RateLimitedStep_Is429WithRetryAfterInWholeSecondsRoundedUp(double seconds, string expected)
    {
        _server.Imports.Add(ImportId).RateLimited(TimeSpan.FromSeconds(seconds)).Succeeds();
        _server.DataSources.Add(SourceUuid).RateLimited(TimeSpan.FromSeconds(seconds)).Idle();

        using var import = await _elasticPath.GetAsync(new Uri(ImportPath.TrimStart('/'), UriKind.Relative), TestContext.Token);
        using var source = await _chartMogul.GetAsync(new Uri(SourcePath.TrimStart('/'), UriKind.Relative), TestContext.Token);

        Assert.Equal((HttpStatusCode)429, import.StatusCode);
        Assert.Equal((HttpStatusCode)429, source.StatusCode);
        Assert.Equal([expected], import.Headers.GetValues("Retry-After"));
        Assert.Equal([expected], source.Headers.GetValues("Retry-After"));
        Assert.Equal("Too Many Requests", (string?)JsonNode.Parse(await import.Content.ReadAsStringAsync(TestContext.Token))!["errors"]![0]!["title"]);
        Assert.Equal(429, (int)JsonNode.Parse(await source.Content.ReadAsStringAsync(TestContext.Token))!["code"]!);
    }

    [Fact]
    public async Task ServerErrorStep_Is500WithTheVendorBody()
    {
        _server.Imports.Add(ImportId).ServerError();
        _server.DataSources.Add(SourceUuid).ServerError();

        var (importStatus, importBody) = await SendAsync(HttpMethod.Get, ImportPath, BearerHeader());
        var (sourceStatus, sourceBody) = await SendAsync(HttpMethod.Get, SourcePath, BasicHeader());

        Assert.Equal((500, 500), (importStatus, sourceStatus));
        Assert.Equal("Internal Server Error", (string?)importBody["errors"]![0]!["title"]);
        Assert.Equal(500, (int)sourceBody["code"]!);
    }

    [Fact]
    public async Task GeneratedClients_SurfaceTheFakesErrorsAsTypedExceptions()
    {
        _server.Imports.Add(ImportId).RateLimited(TimeSpan.FromSeconds(7)).ServerError();
        var imports = new SubscriptionImportsClient(_elasticPath);
        var sources = new DataSourcesClient(_chartMogul);
        using var anonymous = new HttpClient { BaseAddress = _server.BaseAddress };

        var rateLimited = await Assert.ThrowsAsync<BillingImportsApiException>(() => imports.GetImportAsync(ImportId, TestContext.Token));
        var serverError = await Assert.ThrowsAsync<BillingImportsApiException>(() => imports.GetImportAsync(ImportId, TestContext.Token));
        var notFound = await Assert.ThrowsAsync<BillingImportsApiException>(() => sources.GetDataSourceAsync("ds_unknown", cancellationToken: TestContext.Token));
        var invalid = await Assert.ThrowsAsync<BillingImportsApiException>(() => sources.GetDataSourceAsync("unknown", cancellationToken: TestContext.Token));
        var unauthorized = await Assert.ThrowsAsync<BillingImportsApiException>(() => new DataSourcesClient(anonymous).GetDataSourceAsync("ds_unknown", cancellationToken: TestContext.Token));

        Assert.Equal((ApiErrorKind.RateLimited, 429), (rateLimited.Kind, rateLimited.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(7), rateLimited.RetryAfter);
        Assert.Equal((ApiErrorKind.ServerError, 500), (serverError.Kind, serverError.StatusCode));
        Assert.Equal((ApiErrorKind.NotFound, 404), (notFound.Kind, notFound.StatusCode));
        Assert.Equal(422, invalid.StatusCode);
        Assert.Equal((ApiErrorKind.Unauthorized, 401), (unauthorized.Kind, unauthorized.StatusCode));
        Assert.StartsWith("fake-", rateLimited.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RespondsWithStep_SendsStatusBodyAndContentTypeVerbatim()
    {
        const string page = "<html><body><h1>Not Found</h1></body></html>";
        _server.DataSources.Add(SourceUuid).RespondsWith(404, page, "text/html").Idle();

        using var response = await _chartMogul.GetAsync(new Uri(SourcePath.TrimStart('/'), UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(page, await response.Content.ReadAsStringAsync(TestContext.Token));
    }

    [Fact]
    public async Task RequestLog_CountsEveryRequestPerPathWhateverTheAnswer()
    {
        _server.Imports.Add(ImportId).Pending();

        await SendAsync(HttpMethod.Get, ImportPath, BearerHeader());
        await SendAsync(HttpMethod.Get, ImportPath, BearerHeader());
        await SendAsync(HttpMethod.Get, ImportPath, authorization: null);
        await SendAsync(HttpMethod.Get, SourcePath, BasicHeader());
        using var token = await _anonymous.PostAsync(new Uri("oauth/access_token", UriKind.Relative), TokenForm("test-client-id", "test-client-secret"), TestContext.Token);

        Assert.Equal(3, _server.RequestCount(ImportPath));
        Assert.Equal(1, _server.RequestCount(SourcePath));
        Assert.Equal(1, _server.RequestCount(FakeBillingServer.TokenPath));
        Assert.Equal([200, 200, 401, 404, 200], _server.Requests.Select(r => r.StatusCode));
        Assert.Null(_server.Requests[2].Authorization);

        _server.ResetRequestLog();
        Assert.Equal(0, _server.RequestCount(ImportPath));
    }

    [Fact]
    public async Task RequestLog_KeepsTheQueryString()
    {
        _server.DataSources.Add(SourceUuid).Idle();

        await new DataSourcesClient(_chartMogul).GetDataSourceAsync(SourceUuid, withProcessingStatus: true, cancellationToken: TestContext.Token);

        Assert.Equal("with_processing_status=true", _server.Requests.Single().Query);
    }

    [Theory]
    [InlineData("GET", "/v3/anything")]
    [InlineData("POST", "/v1/data_sources/ds_fef05d54-47b4-431b-aed2-eb6b9e545430")]
    [InlineData("GET", "/v2/subscriptions/imports/11111111-2222-3333-4444-555555555555/errors/1")]
    public async Task UnknownRoute_Is404PlainTextNamingTheRoute(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.TrimStart('/'), UriKind.Relative));
        using var response = await _chartMogul.SendAsync(request, TestContext.Token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(path, await response.Content.ReadAsStringAsync(TestContext.Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnWireMockMapping_TakesPrecedenceOverTheFake()
    {
        _server.WireMock.Given(Request.Create().WithPath(SourcePath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("maintenance"));

        using var response = await _chartMogul.GetAsync(new Uri(SourcePath.TrimStart('/'), UriKind.Relative), TestContext.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.RequestCount(SourcePath));
    }

    [Fact]
    public void BaseAddress_IsLoopbackWithAPortAndATrailingSlash()
    {
        Assert.Equal("127.0.0.1", _server.BaseAddress.Host);
        Assert.NotEqual(0, _server.BaseAddress.Port);
        Assert.EndsWith("/", _server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(new Uri(_server.BaseAddress, "oauth/access_token"), _server.TokenEndpoint);
    }

    [Fact]
    public void TwoServers_GetDifferentPorts()
    {
        using var other = new FakeBillingServer();

        Assert.NotEqual(_server.BaseAddress.Port, other.BaseAddress.Port);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("1234")]
    public void ImportsAdd_IdThatIsNotAUuid_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => _server.Imports.Add(id));

    [Fact]
    public void DataSourcesAdd_UuidWithoutDsPrefix_Throws() =>
        Assert.Throws<ArgumentException>(() => _server.DataSources.Add("fef05d54-47b4-431b-aed2-eb6b9e545430"));

    [Fact]
    public void ScriptSteps_ZeroPolls_Throws()
    {
        var import = _server.Imports.Add(ImportId);

        Assert.Throws<ArgumentOutOfRangeException>(() => import.Started(polls: 0));
    }

    [Fact]
    public async Task Remove_MakesAKnownIdAnswer404()
    {
        _server.Imports.Add(ImportId).Succeeds();

        Assert.True(_server.Imports.Remove(ImportId));
        var (status, _) = await SendAsync(HttpMethod.Get, ImportPath, BearerHeader());

        Assert.Equal(404, status);
    }

    [Fact]
    public async Task StepAddedAfterPollingBegan_AnswersTheNextRequestAndKeepsTheServedHistory()
    {
        var script = _server.Imports.Add(ImportId).Pending().Started(polls: 2);
        var client = new SubscriptionImportsClient(_elasticPath);
        for (var i = 0; i < 5; i++)
        {
            await client.GetImportAsync(ImportId, TestContext.Token);
        }

        var stillStarted = await client.GetImportAsync(ImportId, TestContext.Token);
        script.Succeeds();
        var finished = await client.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportStatus.Started, stillStarted.Status);
        Assert.Equal(ImportStatus.Success, finished.Status);

        // Started on the second request, finished on the seventh: the repeats of the last step count.
        var timestamps = finished.Timestamps;
        Assert.Equal(TimeSpan.FromSeconds(25), timestamps.FinishedAt - timestamps.StartedAt);
    }

    [Fact]
    public async Task AddingAnIdAgain_ReplacesItsScriptAndStartsOver()
    {
        _server.Imports.Add(ImportId).Pending().Succeeds();
        await SendAsync(HttpMethod.Get, ImportPath, BearerHeader());

        _server.Imports.Add(ImportId).Started();
        var body = await GetJsonAsync(_elasticPath, ImportPath);

        Assert.Equal("started", (string?)body["data"]!["attributes"]!["status"]);
    }

    [Fact]
    public async Task ImportWithNoSteps_IsPendingAndSourceWithNoSteps_IsNeverImported()
    {
        _server.Imports.Add(ImportId);
        _server.DataSources.Add(SourceUuid);

        var import = await GetJsonAsync(_elasticPath, ImportPath);
        var source = await GetJsonAsync(_chartMogul, SourcePath);

        Assert.Equal("pending", (string?)import["data"]!["attributes"]!["status"]);
        Assert.Equal("never_imported", (string?)source["status"]);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static FormUrlEncodedContent TokenForm(string clientId, string clientSecret) =>
        new([new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", clientSecret)]);

    private static string BasicHeader() => "Basic " + Base64("test-api-key:");

    private string BearerHeader() => "Bearer " + _server.IssueAccessToken();

    private async Task<(int Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _anonymous.SendAsync(request, TestContext.Token);
        var text = await response.Content.ReadAsStringAsync(TestContext.Token);
        return ((int)response.StatusCode, JsonNode.Parse(text)!);
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(new Uri(pathAndQuery.TrimStart('/'), UriKind.Relative), TestContext.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Token))!;
    }
}
