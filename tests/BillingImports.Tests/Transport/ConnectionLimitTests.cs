using BillingImports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// A burst of calls or waits queues for a few connections instead of opening one each: with
/// thousands of waits and a server in the same process, one connection per wait exhausts file
/// descriptors.
/// </summary>
public sealed class ConnectionLimitTests
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string Working = """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"x","status":"working"}""";
    private const string Idle = """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"x","status":"idle"}""";

    /// <summary>
    /// Holds the first <paramref name="concurrent"/> requests until that many are in flight at once,
    /// so a client that could use that many connections does; then answers at once.
    /// </summary>
    private static HostileServer Server(int concurrent, Func<int, string> body)
    {
        var arrived = 0;
        var together = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new HostileServer(async (_, response) =>
        {
            var number = Interlocked.Increment(ref arrived);
            if (number == concurrent)
            {
                together.SetResult();
            }

            if (number <= concurrent)
            {
                await together.Task.WaitAsync(TestContext.Token);
            }

            await response.SendAsync(200, body(number));
        });
    }

    [Fact]
    public async Task ManyConcurrentCalls_OpenNoMoreConnectionsThanTheLimit()
    {
        using var server = Server(concurrent: 4, _ => Idle);
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "key-0123456789", BaseAddress = server.BaseAddress, MaxConnectionsPerServer = 4 });

        var sources = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token)));

        Assert.All(sources, source => Assert.Equal("idle", source.Status));
        Assert.Equal(100, server.RequestCount("/v1/"));
        Assert.Equal(4, server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ABurstOfWaitsWithDefaultOptions_SharesAFewConnections()
    {
        var defaults = new ChartMogulClientOptions();
        Assert.InRange(defaults.MaxConnectionsPerServer, 1, 20);

        // Every wait sees "working" first, then "idle".
        using var server = Server(concurrent: defaults.MaxConnectionsPerServer, number => number <= 500 ? Working : Idle);
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "key-0123456789", BaseAddress = server.BaseAddress });
        var polling = new PollingOptions { TimeProvider = new VirtualTime() };

        var sources = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => client.DataSources.WaitForCompletionAsync(Uuid, polling, cancellationToken: TestContext.Token)));

        Assert.All(sources, source => Assert.Equal("idle", source.Status));
        Assert.InRange(server.ConnectionsAccepted, 1, defaults.MaxConnectionsPerServer);
    }

    [Fact]
    public async Task DependencyInjection_AppliesTheLimitToTheFactoryHandler()
    {
        using var server = Server(concurrent: 3, _ => Idle);
        var services = new ServiceCollection();
        services.AddChartMogulClient(o => { o.ApiKey = "key-0123456789"; o.BaseAddress = server.BaseAddress; o.MaxConnectionsPerServer = 3; });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IDataSourcesClient>();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => client.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token)));

        Assert.Equal(3, server.ConnectionsAccepted);
    }

    [Fact]
    public void MaxConnectionsPerServerBelowOne_IsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "key-0123456789", MaxConnectionsPerServer = 0 }));

        Assert.Contains("MaxConnectionsPerServer", error.Message, StringComparison.Ordinal);
    }
}
