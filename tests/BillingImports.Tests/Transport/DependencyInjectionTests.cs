using System.Net;
using BillingImports.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

public sealed class DependencyInjectionTests : IDisposable
{
    private readonly FakeBillingServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AddClients_ResolveWorkingTypedClientsThroughTheFactory()
    {
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => { o.ApiKey = _server.ApiKey; o.BaseAddress = _server.BaseAddress; });
        services.AddElasticPathClient(o => { o.ClientId = _server.ClientId; o.ClientSecret = _server.ClientSecret; o.BaseAddress = _server.BaseAddress; });
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var source = await provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);
        var first = await provider.GetRequiredService<ISubscriptionImportsClient>().GetImportAsync("11111111-2222-3333-4444-555555555555", TestContext.Token);
        var second = await provider.GetRequiredService<ISubscriptionImportsClient>().GetImportAsync("11111111-2222-3333-4444-555555555555", TestContext.Token);

        Assert.Equal("idle", source.Status);
        Assert.Equal("11111111-2222-3333-4444-555555555555", first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(1, TransportFixture.TokenRequests(_server));
        Assert.StartsWith("Basic ", _server.Requests.First(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClients_TakeTheClockAndLoggerFactoryFromTheContainer()
    {
        _server.DataSources.Add("ds_retried").RateLimited(TimeSpan.FromSeconds(7)).Idle();
        var time = new BillingImports.Tests.Support.VirtualTime();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(logs);
        services.AddChartMogulClient(o => { o.ApiKey = _server.ApiKey; o.BaseAddress = _server.BaseAddress; o.Timeout = Timeout.InfiniteTimeSpan; o.Retry = new RetryOptions { Jitter = 0 }; });
        await using var provider = services.BuildServiceProvider();

        var source = await provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync("ds_retried", cancellationToken: TestContext.Token);

        // The 429's Retry-After was waited out on the container's clock (no real 7 s went by) and logged through its factory.
        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.Equal([TimeSpan.FromSeconds(7)], time.Delays);
        Assert.Contains(logs.Lines, line => line.Contains("Retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddClients_BindFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChartMogul:ApiKey"] = _server.ApiKey,
            ["ChartMogul:BaseAddress"] = _server.BaseAddress.ToString(),
            ["ChartMogul:Retry:MaxRetries"] = "1",
        }).Build();
        var services = new ServiceCollection();
        services.AddChartMogulClient(configuration.GetSection("ChartMogul"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ChartMogulClientOptions>>().Value;
        var source = await provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);

        Assert.Equal(1, options.Retry.MaxRetries);
        Assert.Equal("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", source.Uuid);
    }

    [Fact]
    public async Task AddElasticPathClient_FromConfiguration_BindsEverySettingIncludingNestedRetryTimeSpansAndRegion()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ElasticPath:ClientId"] = "id-from-configuration",
            ["ElasticPath:ClientSecret"] = "secret-from-configuration",
            ["ElasticPath:Region"] = "EuWest",
            ["ElasticPath:BaseAddress"] = "http://127.0.0.1:9/",
            ["ElasticPath:Timeout"] = "00:00:20",
            ["ElasticPath:TokenRefreshMargin"] = "00:02:00",
            ["ElasticPath:UserAgent"] = "reconciler/2.1",
            ["ElasticPath:Retry:MaxRetries"] = "5",
            ["ElasticPath:Retry:BaseDelay"] = "00:00:00.250",
            ["ElasticPath:Retry:MaxDelay"] = "00:00:10",
            ["ElasticPath:Retry:MaxRetryAfter"] = "00:01:30",
            ["ElasticPath:Retry:Jitter"] = "0.1",
        }).Build();
        var services = new ServiceCollection();
        services.AddElasticPathClient(configuration.GetSection("ElasticPath"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ElasticPathClientOptions>>().Value;

        Assert.Equal(("id-from-configuration", "secret-from-configuration", ElasticPathRegion.EuWest), (options.ClientId, options.ClientSecret, options.Region));
        Assert.Equal(new Uri("http://127.0.0.1:9/"), options.BaseAddress);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2), "reconciler/2.1"), (options.Timeout, options.TokenRefreshMargin, options.UserAgent));
        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(90)), (options.Retry.BaseDelay, options.Retry.MaxDelay, options.Retry.MaxRetryAfter));
        Assert.Equal(0.1, options.Retry.Jitter);
    }

    [Fact]
    public async Task AddChartMogulClient_RedirectsGoThroughKiotaAndKeepCredentialsOnlyOnTheSameHost()
    {
        using var elsewhere = WireMockServer.Start();
        elsewhere.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody("""{"uuid":"ds_z","name":"z","status":"idle"}"""));
        using var origin = WireMockServer.Start();
        var otherHost = origin.Url!.Contains("localhost", StringComparison.Ordinal) ? "127.0.0.1" : "localhost";
        origin.Given(Request.Create().WithPath("/v1/data_sources/ds_x").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(HttpStatusCode.Redirect).WithHeader("Location", "/v1/data_sources/ds_y"));
        origin.Given(Request.Create().WithPath("/v1/data_sources/ds_y").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(HttpStatusCode.Redirect).WithHeader("Location", $"http://{otherHost}:{elsewhere.Ports[0]}/v1/data_sources/ds_z"));
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => { o.ApiKey = "key"; o.BaseAddress = new Uri(origin.Url + "/"); });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync("ds_x", cancellationToken: TestContext.Token);

        // The factory's default handler would follow both redirects below the pipeline and drop the
        // header even on the same host; Kiota's RedirectHandler plus the auth handler keep it there only.
        var sameHost = origin.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal(["/v1/data_sources/ds_x", "/v1/data_sources/ds_y"], sameHost.Select(r => r.Path));
        Assert.All(sameHost, r => Assert.StartsWith("Basic ", r.Headers!["Authorization"].Single(), StringComparison.Ordinal));
        Assert.False(Assert.Single(elsewhere.LogEntries).RequestMessage.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task InvalidOptions_FailAtStartUpWithEveryProblemNamed()
    {
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => o.BaseAddress = new Uri("http://api.example.com/"));
        services.AddElasticPathClient(o => o.ClientId = "id-only");
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<AggregateException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var messages = string.Join('\n', failure.InnerExceptions.Select(e => e.Message));
        Assert.Contains("ApiKey is required", messages, StringComparison.Ordinal);
        Assert.Contains("must use https", messages, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FactoryPipelines_AreKeptForTheContainersLifetimeAndRenewTheirConnections()
    {
        // The factory's default would replace each pipeline every 2 minutes, and the replaced one's
        // connections stay open beside the new one's: twice the connection limit for a while.
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => { o.ApiKey = _server.ApiKey; o.BaseAddress = _server.BaseAddress; });
        services.AddElasticPathClient(o => { o.ClientId = _server.ClientId; o.ClientSecret = _server.ClientSecret; o.BaseAddress = _server.BaseAddress; });
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var factoryOptions = provider.GetRequiredService<IOptionsMonitor<Microsoft.Extensions.Http.HttpClientFactoryOptions>>();
        var handlers = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        foreach (var name in new[] { BillingImportsServiceCollectionExtensions.ChartMogulHttpClientName, BillingImportsServiceCollectionExtensions.ElasticPathHttpClientName, BillingImportsServiceCollectionExtensions.ElasticPathTokenHttpClientName })
        {
            Assert.Equal(Timeout.InfiniteTimeSpan, factoryOptions.Get(name).HandlerLifetime);

            // Instead, the connections under the pipeline are renewed (DNS changes), within the limit.
            var primary = Innermost(handlers.CreateHandler(name));
            Assert.InRange(primary.PooledConnectionLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
            Assert.Equal(new ChartMogulClientOptions().MaxConnectionsPerServer, primary.MaxConnectionsPerServer);
        }
    }

    [Fact]
    public async Task FactoryPipelines_AnApplicationsOwnHandlerLifetimeWins()
    {
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => { o.ApiKey = _server.ApiKey; o.BaseAddress = _server.BaseAddress; }).SetHandlerLifetime(TimeSpan.FromMinutes(5));
        await using var provider = services.BuildServiceProvider(validateScopes: true);

        var lifetime = provider.GetRequiredService<IOptionsMonitor<Microsoft.Extensions.Http.HttpClientFactoryOptions>>().Get(BillingImportsServiceCollectionExtensions.ChartMogulHttpClientName).HandlerLifetime;
        var source = await provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);

        Assert.Equal(TimeSpan.FromMinutes(5), lifetime);
        Assert.Equal("idle", source.Status);
    }

    [Fact]
    public void StandaloneClient_InvalidOptions_ThrowsWithEveryProblemNamed()
    {
        var failure = Assert.Throws<ArgumentException>(() => new ElasticPathClient(new ElasticPathClientOptions { BaseAddress = new Uri("/relative", UriKind.Relative) }));

        Assert.Contains("ClientId is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("absolute URI", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartMogulDefaultBaseAddress_IsTheProductionApi()
    {
        var options = new ChartMogulClientOptions();

        Assert.Equal(new Uri("https://api.chartmogul.com/"), options.DefaultBaseAddress);
    }

    [Theory]
    [InlineData(ElasticPathRegion.UsEast, "https://useast.api.elasticpath.com/")]
    [InlineData(ElasticPathRegion.EuWest, "https://euwest.api.elasticpath.com/")]
    public void Region_SetsTheBaseAddressAndTokenEndpoint(ElasticPathRegion region, string expected)
    {
        var options = new ElasticPathClientOptions { Region = region };

        Assert.Equal(new Uri(expected), options.DefaultBaseAddress);
        Assert.Equal(new Uri(expected + "oauth/access_token"), options.TokenEndpoint);
    }

    private static SocketsHttpHandler Innermost(HttpMessageHandler handler)
    {
        while (handler is DelegatingHandler delegating)
        {
            handler = delegating.InnerHandler!;
        }

        return Assert.IsType<SocketsHttpHandler>(handler);
    }
}
