using BillingImports.Testing;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Transport;

/// <summary>Clients over the real SDK pipeline, pointed at the fake server, on a virtual clock.</summary>
internal static class TransportFixture
{
    /// <summary>
    /// Options for tests: virtual time so backoff waits take no real time, no per-attempt timeout
    /// (the virtual clock would fire it at once), no jitter so delays can be asserted exactly.
    /// </summary>
    public static ChartMogulClientOptions ChartMogul(FakeBillingServer server, TimeProvider? time = null, CapturingLoggerProvider? logs = null) => new()
    {
        ApiKey = server.ApiKey,
        BaseAddress = server.BaseAddress,
        TimeProvider = time ?? new VirtualTime(),
        Timeout = Timeout.InfiniteTimeSpan,
        Retry = new RetryOptions { Jitter = 0 },
        LoggerFactory = logs,
    };

    public static ElasticPathClientOptions ElasticPath(FakeBillingServer server, TimeProvider? time = null, CapturingLoggerProvider? logs = null) => new()
    {
        ClientId = server.ClientId,
        ClientSecret = server.ClientSecret,
        BaseAddress = server.BaseAddress,
        TimeProvider = time ?? new VirtualTime(),
        Timeout = Timeout.InfiniteTimeSpan,
        Retry = new RetryOptions { Jitter = 0 },
        LoggerFactory = logs,
    };

    public static int TokenRequests(FakeBillingServer server) => server.Requests.Count(request => request.Path == FakeBillingServer.TokenPath);

    public static int Requests(FakeBillingServer server, string pathPrefix) => server.Requests.Count(request => request.Path.StartsWith(pathPrefix, StringComparison.Ordinal));
}
