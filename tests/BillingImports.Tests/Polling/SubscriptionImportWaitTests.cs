using System.Diagnostics;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Polling;

public sealed class SubscriptionImportWaitTests : IDisposable
{
    private const string Id = "11111111-2222-3333-4444-555555555555";
    private const string Path = "/v2/subscriptions/imports/" + Id;
    private readonly ScriptedServer _server = new();
    private readonly VirtualTime _time = new();
    private readonly RequestClock _clock;
    private readonly HttpClient _http;
    private readonly SubscriptionImportsClient _client;

    public SubscriptionImportWaitTests()
    {
        _clock = new RequestClock(_time);
        _http = _server.CreateClient(_clock);
        _client = new SubscriptionImportsClient(_http);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    private PollingOptions Options(Action<PollingOptions>? configure = null)
    {
        // No jitter so that the delays between requests can be asserted exactly.
        var options = new PollingOptions { TimeProvider = _time, Jitter = 0 };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task WaitForCompletion_PendingStartedSuccess_ReturnsFinalImportWithBackoffBetweenPolls()
    {
        _server.Script(Path, Reply.Import(Id, "pending"), Reply.Import(Id, "started", 40), Reply.Import(Id, "success", 100));

        var import = await _client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(100, import.Records.Imported.Subscriptions);
        Assert.Equal(3, _server.RequestCount(Path));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)], _clock.Gaps);
    }

    [Fact]
    public async Task WaitForCompletion_ImportFails_ThrowsWithFinalState()
    {
        _server.Script(Path, Reply.Import(Id, "started", 10), Reply.Import(Id, "failed", 17, 50));

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => _client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Equal(ImportStatus.Failed, failure.Import.Status);
        Assert.Equal(Id, failure.ImportId);
        Assert.Equal(17, failure.Imported.Subscriptions);
        Assert.Equal(50, failure.Uploaded.Subscriptions);
        Assert.Contains("17 of 50", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.RequestCount(Path));
    }

    [Fact]
    public async Task WaitForCompletion_RateLimitedMidWait_WaitsAtLeastRetryAfter()
    {
        _server.Script(
            Path,
            Reply.Import(Id, "started"),
            Reply.JsonApiError(429, "Too Many Requests", ("Retry-After", "7")),
            Reply.Import(Id, "success", 100));

        var import = await _client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(3, _server.RequestCount(Path));
        Assert.Equal(TimeSpan.FromSeconds(1), _clock.Gaps[0]);
        Assert.Equal(TimeSpan.FromSeconds(7), _clock.Gaps[1]);
    }

    [Fact]
    public async Task WaitForCompletion_ServiceUnavailableBurst_RidesThroughWithinBudget()
    {
        var unavailable = Reply.JsonApiError(503, "Service Unavailable");
        _server.Script(Path, Reply.Import(Id, "started"), unavailable, unavailable, unavailable, Reply.Import(Id, "success", 100));

        var import = await _client.WaitForCompletionAsync(Id, Options(o => o.MaxConsecutiveTransientFailures = 3), cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(5, _server.RequestCount(Path));
        Assert.Equal([1, 1.5, 2.25, 3.375], _clock.Gaps.Select(gap => gap.TotalSeconds));
    }

    [Fact]
    public async Task WaitForCompletion_ServiceUnavailableBeyondBudget_RethrowsLastTransientFailure()
    {
        var unavailable = Reply.JsonApiError(503, "Service Unavailable");
        _server.Script(Path, Reply.Import(Id, "started"), unavailable, unavailable, unavailable, Reply.Import(Id, "success", 100));

        var failure = await Assert.ThrowsAsync<BillingImportsApiException>(
            () => _client.WaitForCompletionAsync(Id, Options(o => o.MaxConsecutiveTransientFailures = 2), cancellationToken: TestContext.Token));

        Assert.Equal(503, failure.StatusCode);
        Assert.True(failure.IsTransient);
        Assert.Equal(4, _server.RequestCount(Path));
    }

    [Fact]
    public async Task WaitForCompletion_NotFoundMidWait_ThrowsAtOnce()
    {
        _server.Script(Path, Reply.Import(Id, "pending"), Reply.JsonApiError(404, "Not Found"));

        var failure = await Assert.ThrowsAsync<BillingImportsApiException>(() => _client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.NotFound, failure.Kind);
        Assert.Equal(2, _server.RequestCount(Path));
    }

    [Fact]
    public async Task WaitForCompletion_UnknownStatus_KeepsPollingUntilATerminalStatus()
    {
        _server.Script(Path, Reply.Import(Id, "queued_for_validation"), Reply.Import(Id, "validating"), Reply.Import(Id, "success", 100));
        var progress = new RecordingProgress<ImportProgress>();

        var import = await _client.WaitForCompletionAsync(Id, Options(), progress, TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(["queued_for_validation", "validating", "success"], progress.Reports.Select(p => p.Status.Value));
        Assert.False(progress.Reports[0].Status.IsKnown);
    }

    [Fact]
    public async Task WaitForCompletion_UnknownStatusTreatedAsTerminal_ReturnsItAsIs()
    {
        _server.Script(Path, Reply.Import(Id, "started"), Reply.Import(Id, "cancelled"));

        var import = await _client.WaitForCompletionAsync(Id, Options(o => o.TreatUnknownStatusAsTerminal = true), cancellationToken: TestContext.Token);

        Assert.Equal("cancelled", import.Status.Value);
        Assert.False(import.Status.IsKnown);
        Assert.Equal(2, _server.RequestCount(Path));
    }

    [Fact]
    public async Task WaitForCompletion_NeverFinishes_ThrowsPollingTimeoutAtTheDeadline()
    {
        _server.Script(Path, Reply.Import(Id, "started", 5));

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(
            () => _client.WaitForCompletionAsync(Id, Options(o => o.Timeout = TimeSpan.FromMinutes(10)), cancellationToken: TestContext.Token));

        Assert.Equal(TimeSpan.FromMinutes(10), timeout.Elapsed);
        Assert.Equal(_server.RequestCount(Path), timeout.Attempts);
        Assert.Equal(Id, timeout.ResourceId);
        Assert.Equal(ImportStatus.Started, timeout.LastObserved!.Status);
        Assert.Equal(5, timeout.LastObserved.Records.Imported.Subscriptions);
        Assert.True(_clock.At[^1] < TimeSpan.FromMinutes(10), "a poll started at the deadline would only be cancelled");
        Assert.IsNotType<OperationCanceledException>(timeout);
    }

    [Fact]
    public async Task WaitForCompletion_NoSuccessfulPollBeforeTheDeadline_TimesOutWithoutALastState()
    {
        _server.Script(Path, Reply.JsonApiError(503, "Service Unavailable"));

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(() => _client.WaitForCompletionAsync(
            Id, Options(o => { o.Timeout = TimeSpan.FromSeconds(30); o.MaxConsecutiveTransientFailures = 1_000; }), cancellationToken: TestContext.Token));

        Assert.Null(timeout.LastObserved);
        Assert.Equal(503, Assert.IsType<BillingImportsApiException>(timeout.InnerException).StatusCode);
        Assert.Contains("no successful poll", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCompletion_RetryAfterBeyondTheDeadline_TimesOutWithoutWaitingForIt()
    {
        _server.Script(Path, Reply.Import(Id, "started"), Reply.JsonApiError(429, "Too Many Requests", ("Retry-After", "3600")));

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(
            () => _client.WaitForCompletionAsync(Id, Options(o => o.Timeout = TimeSpan.FromMinutes(5)), cancellationToken: TestContext.Token));

        Assert.Equal(429, Assert.IsType<BillingImportsApiException>(timeout.InnerException).StatusCode);
        Assert.True(_time.Elapsed < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task WaitForCompletion_ThirtyMinuteImport_RunsInVirtualTimeAndSeesTheEndWithinTheMaximumInterval()
    {
        // The import finishes at virtual minute 30; the script answers "started" until then.
        var finishAt = TimeSpan.FromMinutes(30);
        using var http = new HttpClient(new FinishAt(_time, finishAt)) { BaseAddress = new Uri("http://imports.invalid/") };
        var client = new SubscriptionImportsClient(http);

        var import = await client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        var detectionDelay = _time.Elapsed - finishAt;
        Assert.InRange(detectionDelay, TimeSpan.Zero, new PollingOptions().MaxInterval);
        Assert.All(_time.Delays, delay => Assert.True(delay <= TimeSpan.FromSeconds(30), delay.ToString()));
        Assert.InRange(_time.Delays.Count, 60, 75);
    }

    [Fact]
    public async Task WaitForCompletion_BackoffReachesTheMaximumInterval_AndStaysThere()
    {
        _server.Script(Path, Reply.Import(Id, "started"));

        await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(() => _client.WaitForCompletionAsync(
            Id,
            Options(o => { o.BackoffFactor = 2; o.MaxInterval = TimeSpan.FromSeconds(4); o.Timeout = TimeSpan.FromSeconds(20); }),
            cancellationToken: TestContext.Token));

        // Polls at 0, 1, 3, 7, 11, 15 and 19 s; the next would fall after the 20 s deadline, so the
        // wait sleeps out its last second and ends without it.
        Assert.Equal([1, 2, 4, 4, 4, 4], _clock.Gaps.Select(gap => gap.TotalSeconds));
        Assert.Equal([1, 2, 4, 4, 4, 4, 1], _time.Delays.Select(delay => delay.TotalSeconds));
    }

    [Fact]
    public async Task WaitForCompletion_Jitter_SpreadsDelaysWithinTheConfiguredFraction()
    {
        _server.Script(Path, Reply.Import(Id, "started"));

        await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(() => _client.WaitForCompletionAsync(
            Id,
            Options(o => { o.BackoffFactor = 1; o.Jitter = 0.5; o.Timeout = TimeSpan.FromSeconds(40); }),
            cancellationToken: TestContext.Token));

        var delays = _time.Delays.SkipLast(1).ToList();
        Assert.True(delays.Count >= 10);
        Assert.All(delays, delay => Assert.InRange(delay.TotalSeconds, 0.5, 1.5));
        Assert.True(delays.Distinct().Count() > 1, "jitter produced identical delays");
    }

    [Fact]
    public async Task WaitForCompletion_CallerCancels_StopsPromptlyWithOperationCanceled()
    {
        _server.Script(Path, Reply.Import(Id, "started"));
        using var http = _server.CreateClient();
        var client = new SubscriptionImportsClient(http);
        using var cancel = new CancellationTokenSource();
        var options = new PollingOptions { InitialInterval = TimeSpan.FromMinutes(10), MaxInterval = TimeSpan.FromMinutes(10) };

        var wait = client.WaitForCompletionAsync(Id, options, cancellationToken: cancel.Token);
        while (_server.RequestCount(Path) == 0)
        {
            await Task.Delay(10, TestContext.Token);
        }

        await cancel.CancelAsync();

        // The wait is in a 10-minute real sleep; only a prompt reaction to the token lets this pass.
        var completed = await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Token));
        Assert.Same(wait, completed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task Progress_ReportsEveryPollWithCounts()
    {
        _server.Script(Path, Reply.Import(Id, "pending", 0, 0), Reply.Import(Id, "started", 30), Reply.Import(Id, "started", 60), Reply.Import(Id, "success", 100));
        var progress = new RecordingProgress<ImportProgress>();

        await _client.WaitForCompletionAsync(Id, Options(), progress, TestContext.Token);

        Assert.Equal([1, 2, 3, 4], progress.Reports.Select(p => p.Attempt));
        Assert.Equal([0L, 30, 60, 100], progress.Reports.Select(p => p.Imported));
        Assert.Equal([0L, 100, 100, 100], progress.Reports.Select(p => p.Uploaded));
        Assert.Null(progress.Reports[0].Fraction);
        Assert.Equal(0.3, progress.Reports[1].Fraction);
        Assert.Equal(TimeSpan.FromSeconds(1), progress.Reports[1].Elapsed);
    }

    [Fact]
    public async Task Watch_YieldsOnlyChangesOfStatusOrCounts()
    {
        _server.Script(
            Path,
            Reply.Import(Id, "pending"),
            Reply.Import(Id, "pending"),
            Reply.Import(Id, "started", 10),
            Reply.Import(Id, "started", 10),
            Reply.Import(Id, "started", 20),
            Reply.Import(Id, "failed", 20));

        var seen = new List<(string, long)>();
        await foreach (var import in _client.WatchAsync(Id, Options(), TestContext.Token))
        {
            seen.Add((import.Status.Value, import.Records.Imported.Subscriptions ?? -1));
        }

        Assert.Equal([("pending", 0L), ("started", 10L), ("started", 20L), ("failed", 20L)], seen);
        Assert.Equal(6, _server.RequestCount(Path));
    }

    [Fact]
    public async Task Wait_EmitsOneActivityWithAttemptsAndFinalStatus()
    {
        _server.Script(Path, Reply.Import(Id, "pending"), Reply.Import(Id, "started"), Reply.Import(Id, "success", 100));
        using var recorder = new ActivityRecorder();

        // A trace of this test's own: the sample CLI waits on the same id alongside.
        using var test = new Activity(nameof(Wait_EmitsOneActivityWithAttemptsAndFinalStatus)).Start();
        await _client.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token);
        test.Stop();

        var wait = Assert.Single(recorder.Stopped, a => a.TraceId == test.TraceId && a.OperationName == "BillingImports.Wait import" && (string?)a.GetTagItem("billing_imports.resource.id") == Id);
        Assert.Equal(3, wait.GetTagItem("billing_imports.wait.attempts"));
        Assert.Equal("success", wait.GetTagItem("billing_imports.wait.final_status"));
        Assert.Equal(ActivityStatusCode.Ok, wait.Status);
    }

    [Theory]
    [InlineData(nameof(PollingOptions.InitialInterval))]
    [InlineData(nameof(PollingOptions.BackoffFactor))]
    [InlineData(nameof(PollingOptions.Jitter))]
    [InlineData(nameof(PollingOptions.Timeout))]
    [InlineData(nameof(PollingOptions.MaxConsecutiveTransientFailures))]
    public async Task WaitForCompletion_InvalidOptions_ThrowBeforeAnyRequest(string property)
    {
        var options = Options(o =>
        {
            switch (property)
            {
                case nameof(PollingOptions.InitialInterval): o.InitialInterval = TimeSpan.Zero; break;
                case nameof(PollingOptions.BackoffFactor): o.BackoffFactor = 0.5; break;
                case nameof(PollingOptions.Jitter): o.Jitter = 1.5; break;
                case nameof(PollingOptions.Timeout): o.Timeout = TimeSpan.FromSeconds(-5); break;
                default: o.MaxConsecutiveTransientFailures = -1; break;
            }
        });

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.WaitForCompletionAsync(Id, options, cancellationToken: TestContext.Token));

        Assert.Equal(property, error.ParamName);
        Assert.Equal(0, _server.RequestCount(Path));
    }

    /// <summary>Answers "started" until a virtual instant, then "success".</summary>
    private sealed class FinishAt(TimeProvider time, TimeSpan finishAt) : HttpMessageHandler
    {
        private readonly long _start = time.GetTimestamp();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var done = time.GetElapsedTime(_start) >= finishAt;
            var body = Reply.ImportJson(Id, done ? "success" : "started", done ? 100 : 50, 100);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
