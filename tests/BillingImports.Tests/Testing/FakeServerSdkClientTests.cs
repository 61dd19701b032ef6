using BillingImports.Testing;
using BillingImports.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Testing;

/// <summary>The SDK's own clients, pointed at the fake in one line, authenticate and read as against the real services.</summary>
public sealed class FakeServerSdkClientTests : IDisposable
{
    private const string ImportId = "3c9e1f2a-6b7d-4e80-9f1a-2b3c4d5e6f70";
    private const string ImportPath = "/v2/subscriptions/imports/" + ImportId;
    private const string SourceUuid = "ds_3c9e1f2a-6b7d-4e80-9f1a-2b3c4d5e6f70";

    private readonly FakeBillingServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void CreatedOptions_PointAtTheFakeWithTheCredentialsItAccepts()
    {
        var chartMogul = _server.CreateChartMogulOptions();
        var elasticPath = _server.CreateElasticPathOptions();

        Assert.Equal((_server.BaseAddress, _server.ApiKey), (chartMogul.BaseAddress, chartMogul.ApiKey));
        Assert.Equal((_server.BaseAddress, _server.ClientId, _server.ClientSecret), (elasticPath.BaseAddress, elasticPath.ClientId, elasticPath.ClientSecret));
        Assert.Equal(_server.TokenEndpoint, elasticPath.TokenEndpoint);
    }

    [Fact]
    public async Task ChartMogulClient_ReadsAScriptedSourceSendingBasicCredentials()
    {
        _server.DataSources.Add(SourceUuid).Working().Idle();
        using var client = _server.CreateChartMogulClient();

        var working = await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);
        var idle = await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        Assert.Equal([DataSourceStatus.Working, DataSourceStatus.Idle], new[] { working.Status, idle.Status });
        Assert.All(_server.Requests, request => Assert.StartsWith("Basic ", request.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ElasticPathClient_FetchesOneTokenFromTheFakeAndPollsToSuccess()
    {
        _server.Imports.Add(ImportId).Pending().Started(polls: 2).Succeeds();
        using var client = _server.CreateElasticPathClient();

        var import = await client.SubscriptionImports.WaitForCompletionAsync(
            ImportId, new PollingOptions { TimeProvider = new VirtualTime() }, cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(1, _server.RequestCount(FakeBillingServer.TokenPath));
        Assert.Equal(4, _server.RequestCount(ImportPath));
        Assert.All(_server.Requests.Where(r => r.Path == ImportPath), request => Assert.Equal(200, request.StatusCode));
    }

    [Fact]
    public async Task ElasticPathClient_AfterTheFakeRevokesItsToken_FetchesANewOneAndSucceeds()
    {
        _server.Imports.Add(ImportId).Succeeds();
        using var client = _server.CreateElasticPathClient();
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        _server.RevokeAccessTokens();
        var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(2, _server.RequestCount(FakeBillingServer.TokenPath));
        Assert.Equal([200, 401, 200], _server.Requests.Where(r => r.Path == ImportPath).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ElasticPathClient_OnTheFakesClock_RefreshesAnExpiringTokenBeforeTheFakeRejectsIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        using var server = new FakeBillingServer(new FakeBillingServerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(5) });
        server.Imports.Add(ImportId).Succeeds();
        using var client = server.CreateElasticPathClient();
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        // Inside the client's 60 s refresh margin but before the fake's expiry.
        time.Advance(TimeSpan.FromMinutes(4.5));
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(2, server.RequestCount(FakeBillingServer.TokenPath));
        Assert.DoesNotContain(server.Requests, request => request.StatusCode == 401);
    }

    [Fact]
    public async Task ChartMogulClient_RetriesTheFakesRateLimitAndServerErrorSteps()
    {
        _server.DataSources.Add(SourceUuid).RateLimited(TimeSpan.Zero).ServerError().Idle();
        var options = _server.CreateChartMogulOptions();
        options.Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(1), Jitter = 0 };
        using var client = new ChartMogulClient(options);

        var source = await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.Equal([429, 500, 200], _server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task OneLineClients_WaitForAScriptedImportAndSourceToFinish()
    {
        // The statements of the README's fake-server snippet, run rather than only compiled.
        var cancellationToken = TestContext.Token;
        using var server = new FakeBillingServer();
        const string importId = "0e6f9d0c-3b1a-4f2e-9c55-2f1d7e3a4b60";
        server.Imports.Add(importId).Pending().Started(polls: 2).Succeeds();
        server.DataSources.Add("ds_5d7e8f90-1a2b-4c3d-8e9f-0a1b2c3d4e5f").Working(polls: 2).Idle();

        using var elasticPath = server.CreateElasticPathClient();
        var import = await elasticPath.SubscriptionImports.WaitForCompletionAsync(
            importId, new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(10) }, cancellationToken: cancellationToken);

        using var chartMogul = server.CreateChartMogulClient();
        var source = await chartMogul.DataSources.WaitForCompletionAsync(
            "ds_5d7e8f90-1a2b-4c3d-8e9f-0a1b2c3d4e5f", new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(10) }, cancellationToken: cancellationToken);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.Equal(4, server.RequestCount("/v2/subscriptions/imports/" + importId));
    }

    [Fact]
    public async Task ElasticPathClient_UnknownImport_ThrowsNotFoundWithTheFakesJsonApiError()
    {
        using var client = _server.CreateElasticPathClient();

        var failure = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal((ApiErrorKind.NotFound, 404), (failure.Kind, failure.StatusCode));
        Assert.Contains(failure.Errors, error => error.MissingIds.Contains(ImportId));
    }
}
