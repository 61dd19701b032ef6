using BillingImports.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

        var source = await provider.GetRequiredService<IDataSourcesClient>().RetrieveDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);
        var first = await provider.GetRequiredService<ISubscriptionImportsClient>().GetImportAsync("11111111-2222-3333-4444-555555555555", TestContext.Token);
        var second = await provider.GetRequiredService<ISubscriptionImportsClient>().GetImportAsync("11111111-2222-3333-4444-555555555555", TestContext.Token);

        Assert.Equal("idle", source.Status);
        Assert.Equal(first.Data.Id, second.Data.Id);
        Assert.Equal(1, TransportFixture.TokenRequests(_server));
        Assert.StartsWith("Basic ", _server.Requests.First(r => r.Path.StartsWith("/v1/", StringComparison.Ordinal)).Authorization, StringComparison.Ordinal);
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
        var source = await provider.GetRequiredService<IDataSourcesClient>().RetrieveDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", cancellationToken: TestContext.Token);

        Assert.Equal(1, options.Retry.MaxRetries);
        Assert.Equal("ds_fef05d54-47b4-431b-aed2-eb6b9e545430", source.Uuid);
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
    public void StandaloneClient_InvalidOptions_ThrowsWithEveryProblemNamed()
    {
        var failure = Assert.Throws<ArgumentException>(() => new ElasticPathClient(new ElasticPathClientOptions { BaseAddress = new Uri("/relative", UriKind.Relative) }));

        Assert.Contains("ClientId is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", failure.Message, StringComparison.Ordinal);
        Assert.Contains("absolute URI", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ElasticPathRegion.UsEast, "https://useast.api.elasticpath.com/")]
    [InlineData(ElasticPathRegion.EuWest, "https://euwest.api.elasticpath.com/")]
    public void Region_SetsTheBaseAddressAndTokenEndpoint(ElasticPathRegion region, string expected)
    {
        var options = new ElasticPathClientOptions { Region = region };

        Assert.Equal(new Uri(expected), ElasticPathClientOptions.AddressOf(region));
        Assert.Equal(new Uri(expected + "oauth/access_token"), options.TokenEndpoint);
    }
}
