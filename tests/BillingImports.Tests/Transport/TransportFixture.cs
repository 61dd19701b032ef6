using BillingImports.Testing;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Transport;

/// <summary>Clients over the real SDK pipeline, pointed at the fake server, on a virtual clock.</summary>
internal static class TransportFixture
{
    /// <summary>
    /// Options for tests: no per-attempt timeout (the virtual clock would fire it at once), no jitter
    /// so delays can be asserted exactly. The clock is the client's, not the options': see
    /// <see cref="CreateChartMogul"/>.
    /// </summary>
    public static ChartMogulClientOptions ChartMogul(FakeBillingServer server) => new()
    {
        ApiKey = server.ApiKey,
        BaseAddress = server.BaseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
        Retry = new RetryOptions { Jitter = 0 },
    };

    public static ElasticPathClientOptions ElasticPath(FakeBillingServer server) => new()
    {
        ClientId = server.ClientId,
        ClientSecret = server.ClientSecret,
        BaseAddress = server.BaseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
        Retry = new RetryOptions { Jitter = 0 },
    };

    /// <summary>A client on <paramref name="options"/> (else <see cref="ChartMogul(FakeBillingServer)"/>) and a virtual clock, so backoff waits take no real time.</summary>
    public static ChartMogulClient CreateChartMogul(FakeBillingServer server, ChartMogulClientOptions? options = null, TimeProvider? time = null, CapturingLoggerProvider? logs = null) =>
        new(options ?? ChartMogul(server), logs, time ?? new VirtualTime());

    /// <summary>A client on <paramref name="options"/> (else <see cref="ElasticPath(FakeBillingServer)"/>) and a virtual clock.</summary>
    public static ElasticPathClient CreateElasticPath(FakeBillingServer server, ElasticPathClientOptions? options = null, TimeProvider? time = null, CapturingLoggerProvider? logs = null) =>
        new(options ?? ElasticPath(server), logs, time ?? new VirtualTime());

    public static int TokenRequests(FakeBillingServer server) => server.Requests.Count(request => request.Path == FakeBillingServer.TokenPath);

    public static int Requests(FakeBillingServer server, string pathPrefix) => server.Requests.Count(request => request.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
}
