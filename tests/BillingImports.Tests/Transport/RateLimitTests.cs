using BillingImports.Testing;
using BillingImports.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// The client-wide request rate: every call, wait and retry of one client takes its turn, a queued
/// call is not failed by its attempt timeout, and a Retry-After seen by one call holds the others.
/// </summary>
public sealed class RateLimitTests : IDisposable
{
    private const string Idle = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private readonly FakeBillingServer _server = new();
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1) + RequestRateLimiter.Headroom;

    private readonly FakeTimeProvider _time = new();

    public void Dispose() => _server.Dispose();

    private int SourceRequests => TransportFixture.Requests(_server, "/v1/data_sources/");

    private ChartMogulClient Client(int rate, Action<ChartMogulClientOptions>? configure = null, CapturingLoggerProvider? logs = null)
    {
        var options = _server.CreateChartMogulOptions();
        options.MaxRequestsPerSecond = rate;
        options.Retry = new RetryOptions { Jitter = 0 };
        configure?.Invoke(options);
        return new ChartMogulClient(options, logs, _time);
    }

    [Fact]
    public async Task Calls_BeyondTheRate_WaitForTheirTurn()
    {
        using var client = Client(2);

        var calls = Enumerable.Range(0, 3).Select(_ => client.DataSources.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token)).ToList();
        await Task.WhenAll(calls.Take(2)).WaitAsync(TestContext.Token);
        var third = calls[2];
        var sentBeforeTheSecond = SourceRequests;
        var thirdDoneEarly = third.IsCompleted;
        _time.Advance(Second);

        Assert.Equal(2, sentBeforeTheSecond);
        Assert.False(thirdDoneEarly);
        Assert.Equal(DataSourceStatus.Idle, (await third.WaitAsync(TestContext.Token)).Status);
        Assert.Equal(3, SourceRequests);
    }

    [Fact]
    public async Task Calls_QueuedLongerThanTheAttemptTimeout_AreNotTimedOut()
    {
        using var client = Client(1, options => options.Timeout = TimeSpan.FromSeconds(2));

        var calls = Enumerable.Range(0, 6).Select(_ => client.DataSources.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token)).ToList();
        foreach (var call in calls)
        {
            // The clock moves only between calls, so no attempt is ever in flight when it does.
            await call.WaitAsync(TestContext.Token);
            _time.Advance(Second);
        }

        // The sixth waited over five seconds for its turn with a two-second attempt timeout, and no retry was needed.
        Assert.All(await Task.WhenAll(calls).WaitAsync(TestContext.Token), source => Assert.Equal(DataSourceStatus.Idle, source.Status));
        Assert.Equal(6, SourceRequests);
    }

    [Fact]
    public async Task RetryAfter_OnOneCall_HoldsTheClientsOtherCalls()
    {
        _server.DataSources.Add("ds_limited").RateLimited(TimeSpan.FromSeconds(7)).Idle();
        var logs = new CapturingLoggerProvider();
        using var client = Client(100, logs: logs);

        var limited = client.DataSources.GetDataSourceAsync("ds_limited", cancellationToken: TestContext.Token);
        for (var i = 0; i < 500 && !logs.Lines.Any(line => line.Contains("Retrying", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(10, TestContext.Token);
        }

        var other = client.DataSources.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token);
        _time.Advance(TimeSpan.FromSeconds(6.5));
        var otherSentDuringThePause = _server.Requests.Count(request => request.Path.EndsWith(Idle, StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal(0, otherSentDuringThePause);
        Assert.Equal(DataSourceStatus.Idle, (await other.WaitAsync(TestContext.Token)).Status);
        Assert.Equal(DataSourceStatus.Idle, (await limited.WaitAsync(TestContext.Token)).Status);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_HoldsTheOthersOnlyThatLong()
    {
        _server.DataSources.Add("ds_limited").RateLimited(TimeSpan.FromHours(1)).Idle();
        using var client = Client(100, options => options.Retry = new RetryOptions { Jitter = 0, MaxRetryAfter = TimeSpan.FromSeconds(10) });

        var limited = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync("ds_limited", cancellationToken: TestContext.Token));
        var other = client.DataSources.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token);
        var heldBeforeTheClamp = other.IsCompleted;
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromHours(1), limited.RetryAfter);
        Assert.False(heldBeforeTheClamp);
        Assert.Equal(DataSourceStatus.Idle, (await other.WaitAsync(TestContext.Token)).Status);
    }

    [Fact]
    public async Task RetryAfter_AtTheEndOfARedirect_HoldsTheClientsOtherCalls()
    {
        // The redirect's hops go below the rate-limit handler; the answer they lead to still pauses
        // the client's budget.
        _server.DataSources.Add("ds_limited").RateLimited(TimeSpan.FromHours(1)).Idle();
        _server.WireMock.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/data_sources/ds_moved").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(302).WithHeader("Location", _server.BaseAddress + "v1/data_sources/ds_limited"));
        using var client = Client(100, options => options.Retry = new RetryOptions { Jitter = 0, MaxRetryAfter = TimeSpan.FromSeconds(10) });

        var limited = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync("ds_moved", cancellationToken: TestContext.Token));
        var other = client.DataSources.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token);

        // Unpaused, the other call reaches the loopback server at once; paused, not before the clock moves.
        await Task.WhenAny(other, Task.Delay(500, TestContext.Token));
        var otherSentDuringThePause = TransportFixture.Requests(_server, "/v1/data_sources/" + Idle);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(429, limited.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), limited.RetryAfter);
        Assert.Equal(0, otherSentDuringThePause);
        Assert.Equal(DataSourceStatus.Idle, (await other.WaitAsync(TestContext.Token)).Status);
    }

    [Fact]
    public async Task Retries_TakeAPermitToo()
    {
        _server.DataSources.Add("ds_flaky").ServerError().Idle();
        using var client = Client(1, options => options.Retry = new RetryOptions { Jitter = 0, BaseDelay = TimeSpan.FromMilliseconds(100) });

        var call = client.DataSources.GetDataSourceAsync("ds_flaky", cancellationToken: TestContext.Token);
        for (var step = 0; step < 19; step++)
        {
            await Task.Delay(5, TestContext.Token);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        // The retry was due after 100 ms; the budget of one request a second held it to the second.
        var sentBeforeOneSecond = TransportFixture.Requests(_server, "/v1/data_sources/ds_flaky");
        for (var step = 0; step < 100 && !call.IsCompleted; step++)
        {
            await Task.Delay(5, TestContext.Token);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(1, sentBeforeOneSecond);
        Assert.Equal(DataSourceStatus.Idle, (await call.WaitAsync(TestContext.Token)).Status);
        Assert.Equal(2, TransportFixture.Requests(_server, "/v1/data_sources/ds_flaky"));
    }

    [Fact]
    public void Defaults_AreTheVendorsDocumentedLimits_AndNoneOnALoopbackHost()
    {
        Assert.Equal(40, new ChartMogulClientOptions().EffectiveMaxRequestsPerSecond);
        Assert.Equal(100, new ElasticPathClientOptions().EffectiveMaxRequestsPerSecond);
        Assert.Equal(25, new ElasticPathClientOptions { IsDevelopmentStore = true }.EffectiveMaxRequestsPerSecond);
        Assert.Equal(40, new ChartMogulClientOptions { BaseAddress = new Uri("https://proxy.example.com/") }.EffectiveMaxRequestsPerSecond);
        Assert.Null(new ChartMogulClientOptions { BaseAddress = new Uri("http://127.0.0.1:5000/") }.EffectiveMaxRequestsPerSecond);
        Assert.Equal(5, new ChartMogulClientOptions { BaseAddress = new Uri("http://127.0.0.1:5000/"), MaxRequestsPerSecond = 5 }.EffectiveMaxRequestsPerSecond);
        Assert.Null(new ElasticPathClientOptions { MaxRequestsPerSecond = 0 }.EffectiveMaxRequestsPerSecond);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Options_RateOutOfRange_AreRejectedWithTheOthers(int rate)
    {
        var error = Assert.Throws<ArgumentException>(() => new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "key-0123456789", MaxRequestsPerSecond = rate }));

        Assert.Contains("MaxRequestsPerSecond must be from 0 (no limit) to 10000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_RateBindsFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ElasticPath:ClientId"] = "id",
            ["ElasticPath:ClientSecret"] = "secret-0123456789",
            ["ElasticPath:MaxRequestsPerSecond"] = "12",
            ["ElasticPath:IsDevelopmentStore"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddElasticPathClient(configuration.GetSection("ElasticPath"));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ElasticPathClientOptions>>().Value;

        Assert.Equal((12, true, 25), (options.MaxRequestsPerSecond!.Value, options.IsDevelopmentStore, options.DocumentedMaxRequestsPerSecond));
    }

    [Fact]
    public async Task DependencyInjection_EveryPipelineOfAClientSharesOneBudget()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddChartMogulClient(options =>
        {
            options.ApiKey = _server.ApiKey;
            options.BaseAddress = _server.BaseAddress;
            options.MaxRequestsPerSecond = 1;
        });
        await using var provider = services.BuildServiceProvider();

        // Two handler chains built the way IHttpClientFactory builds one each time it replaces the old.
        var first = new DataSourcesClient(Chain(provider));
        var second = new DataSourcesClient(Chain(provider));
        await first.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token);
        var held = second.GetDataSourceAsync(Idle, cancellationToken: TestContext.Token);
        var heldAtFirst = held.IsCompleted;
        _time.Advance(Second);

        Assert.False(heldAtFirst);
        Assert.Equal(DataSourceStatus.Idle, (await held.WaitAsync(TestContext.Token)).Status);
        Assert.Same(
            provider.GetRequiredService<SharedRateLimiter<ChartMogulClientOptions>>().Limiter,
            provider.GetRequiredService<SharedRateLimiter<ChartMogulClientOptions>>().Limiter);
        Assert.Equal(2, provider.GetRequiredService<SharedRateLimiter<ChartMogulClientOptions>>().Limiter!.GetStatistics()!.TotalSuccessfulLeases);
    }

    private static HttpClient Chain(IServiceProvider provider)
    {
        var factoryOptions = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(BillingImportsServiceCollectionExtensions.ChartMogulHttpClientName);
        var builder = provider.GetRequiredService<HttpMessageHandlerBuilder>();
        builder.Name = BillingImportsServiceCollectionExtensions.ChartMogulHttpClientName;
        foreach (var action in factoryOptions.HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        var http = new HttpClient(builder.Build());
        foreach (var action in factoryOptions.HttpClientActions)
        {
            action(http);
        }

        return http;
    }
}
