using BillingImports.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>
/// A wait's <see cref="PollingOptions.Timeout"/> bounds the whole wait, a poll in flight included,
/// and no pause a server asks for can break the loop.
/// </summary>
public sealed class WaitDeadlineTests
{
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string SourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";

    /// <summary>A 200 whose headers arrive and whose body then never does.</summary>
    private static HostileServer StalledBodyServer(TaskCompletionSource requested) => new(async (_, response) =>
    {
        await response.HeadAsync(200, ("Content-Type", "application/json"), ("Content-Length", "2000"));
        await response.BodyAsync("""{"data":{"id":"11111111-2222-3333-4444-555555555555","""u8.ToArray());
        requested.TrySetResult();
        await response.TrickleAsync(TimeSpan.FromSeconds(1), maxBytes: 60);
    });

    [Fact]
    public async Task WaitForCompletion_PollStalledMidBodyAtTheDeadline_ThrowsPollingTimeoutWithATransientTimeout()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = StalledBodyServer(requested);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var time = new FakeTimeProvider();
        var options = new PollingOptions { TimeProvider = time, Timeout = TimeSpan.FromSeconds(5), Jitter = 0 };

        var wait = new SubscriptionImportsClient(http).WaitForCompletionAsync(ImportId, options, cancellationToken: TestContext.Token);
        await requested.Task.WaitAsync(TestContext.Token);
        time.Advance(TimeSpan.FromSeconds(5));

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(() => wait);
        var inFlight = Assert.IsType<BillingImportsApiException>(timeout.InnerException);
        Assert.Equal(ApiErrorKind.Timeout, inFlight.Kind);
        Assert.True(inFlight.IsTransient);
        Assert.Equal(1, timeout.Attempts);
        Assert.Null(timeout.LastObserved);
    }

    [Fact]
    public async Task WaitForCompletion_SdkClientDataSourcePollStalledMidBody_TimesOutAtTheWaitDeadlineNotTheAttemptTimeout()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = StalledBodyServer(requested);
        var time = new FakeTimeProvider();
        using var client = new ChartMogulClient(
            new ChartMogulClientOptions
            {
                ApiKey = "hostile-test-key-0123456789",
                BaseAddress = server.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            },
            null,
            time);
        var options = new PollingOptions { TimeProvider = time, Timeout = TimeSpan.FromSeconds(5), Jitter = 0 };

        var wait = client.DataSources.WaitForCompletionAsync(SourceUuid, options, cancellationToken: TestContext.Token);
        await requested.Task.WaitAsync(TestContext.Token);
        time.Advance(TimeSpan.FromSeconds(5));

        var timeout = await Assert.ThrowsAnyAsync<PollingTimeoutException>(() => wait);
        Assert.Equal(TimeSpan.FromSeconds(5), timeout.Elapsed);
        Assert.Equal(ApiErrorKind.Timeout, Assert.IsType<BillingImportsApiException>(timeout.InnerException).Kind);
        Assert.Equal(1, server.RequestCount("/v1/data_sources/"));
    }

    [Fact]
    public async Task WaitForCompletion_CallerCancelsWhileAPollStalls_IsACancellationNotATimeout()
    {
        var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = StalledBodyServer(requested);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var cancel = new CancellationTokenSource();
        var options = new PollingOptions { TimeProvider = new FakeTimeProvider(), Timeout = TimeSpan.FromSeconds(5) };

        var wait = new SubscriptionImportsClient(http).WaitForCompletionAsync(ImportId, options, cancellationToken: cancel.Token);
        await requested.Task.WaitAsync(TestContext.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TestContext.Token));
    }

    [Theory]
    [InlineData("999999999")]
    [InlineData("Fri, 31 Dec 9999 23:59:59 GMT")]
    public async Task WaitForCompletion_AbsurdRetryAfterInAnEndlessWait_IsClampedToMaxRetryAfter(string retryAfter)
    {
        using var server = new ScriptedServer();
        var path = "/v2/subscriptions/imports/" + ImportId;
        server.Script(path, Reply.Import(ImportId, "started"), Reply.JsonApiError(429, "Too Many Requests", ("Retry-After", retryAfter)), Reply.Import(ImportId, "success", 100));
        using var http = server.CreateClient();
        var time = new VirtualTime();
        var options = new PollingOptions { TimeProvider = time, Timeout = Timeout.InfiniteTimeSpan, Jitter = 0, MaxRetryAfter = TimeSpan.FromMinutes(20) };

        var import = await new SubscriptionImportsClient(http).WaitForCompletionAsync(ImportId, options, cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(20)], time.Delays);
    }

    [Fact]
    public async Task WaitForCompletion_DefaultMaxRetryAfter_IsOneHour()
    {
        using var server = new ScriptedServer();
        var path = "/v2/subscriptions/imports/" + ImportId;
        server.Script(path, Reply.JsonApiError(503, "Service Unavailable", ("Retry-After", "999999999")), Reply.Import(ImportId, "success", 100));
        using var http = server.CreateClient();
        var time = new VirtualTime();

        await new SubscriptionImportsClient(http).WaitForCompletionAsync(
            ImportId, new PollingOptions { TimeProvider = time, Timeout = Timeout.InfiniteTimeSpan, Jitter = 0 }, cancellationToken: TestContext.Token);

        Assert.Equal([TimeSpan.FromHours(1)], time.Delays);
    }

    [Theory]
    [InlineData(nameof(PollingOptions.Timeout))]
    [InlineData(nameof(PollingOptions.MaxInterval))]
    [InlineData(nameof(PollingOptions.MaxRetryAfter))]
    public async Task WaitForCompletion_DurationsBeyondAnyTimer_AreRejectedBeforeAnyRequest(string property)
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") };
        var options = new PollingOptions();
        switch (property)
        {
            case nameof(PollingOptions.Timeout): options.Timeout = TimeSpan.FromDays(365); break;
            case nameof(PollingOptions.MaxInterval): options.MaxInterval = TimeSpan.FromDays(365); break;
            default: options.MaxRetryAfter = TimeSpan.FromDays(365); break;
        }

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => new SubscriptionImportsClient(http).WaitForCompletionAsync(ImportId, options, cancellationToken: TestContext.Token));

        Assert.Equal(property, error.ParamName);
    }
}
