using BillingImports.Testing;
using BillingImports.Tests.Support;
using Reply = BillingImports.Tests.Support.Reply;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>
/// <c>PollOnceAsync</c>: one poll from a checkpoint, the wait's outcome as a value, and the delay
/// and checkpoint the next poll starts from, whoever schedules it.
/// </summary>
public sealed class WaitStepTests : ScriptedPollingTest
{
    private const string Id = "11111111-2222-3333-4444-555555555555";
    private const string Path = "/v2/subscriptions/imports/" + Id;
    private readonly SubscriptionImportsClient _client;

    public WaitStepTests()
    {
        _client = new SubscriptionImportsClient(_http);
    }

    private PollingOptions Options(Action<PollingOptions>? configure = null)
    {
        var options = new PollingOptions { TimeProvider = _time, Jitter = 0 };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task PollOnce_NewCheckpoint_ReturnsTheStateTheDelayAndTheNextCheckpoint()
    {
        _server.Script(Path, Reply.Import(Id, "started", 40, 100));
        var options = Options();
        var start = WaitCheckpoint.ForImport(Id, options);

        var step = await _client.PollOnceAsync(start, options, TestContext.Token);

        Assert.Equal(WaitOutcome.Pending, step.Outcome);
        Assert.False(step.IsFinal);
        Assert.Equal(ImportStatus.Started, step.Resource!.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), step.Delay);
        Assert.Null(step.Exception);
        Assert.Equal(1, step.Checkpoint.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(1.5), step.Checkpoint.Interval);
        Assert.Equal("started", step.Checkpoint.LastStatus);
        Assert.Equal((40L, 100L), (step.Checkpoint.Imported!.Value, step.Checkpoint.Uploaded!.Value));
        Assert.Equal(start.Deadline, step.Checkpoint.Deadline);
        Assert.Equal(start.StartedAt + TimeSpan.FromHours(1), step.Checkpoint.Deadline);
        Assert.Equal(1, _server.RequestCount(Path));
    }

    [Fact]
    public async Task PollOnce_SteppedToTheEnd_MakesTheSameDelaysAsWaitForCompletion()
    {
        var script = new[] { Reply.Import(Id, "pending"), Reply.Import(Id, "started", 10), Reply.Import(Id, "started", 60), Reply.Import(Id, "success", 100) };
        _server.Script(Path, script);
        var options = Options();
        var delays = new List<TimeSpan>();
        var checkpoint = WaitCheckpoint.ForImport(Id, options);
        WaitStep<SubscriptionImport> step;
        for (var polls = 0; ; polls++)
        {
            Assert.True(polls < 10, "the wait did not end");
            step = await _client.PollOnceAsync(WaitCheckpoint.FromJson(checkpoint.ToJson()), options, TestContext.Token);
            if (step.IsFinal)
            {
                break;
            }

            delays.Add(step.Delay);
            checkpoint = step.Checkpoint;
        }

        using var other = new ScriptedServer();
        other.Script(Path, script);
        using var otherHttp = other.CreateClient();
        var time = new VirtualTime();
        await new SubscriptionImportsClient(otherHttp).WaitForCompletionAsync(Id, new PollingOptions { TimeProvider = time, Jitter = 0 }, cancellationToken: TestContext.Token);

        Assert.Equal(WaitOutcome.Succeeded, step.Outcome);
        Assert.Equal(ImportStatus.Success, step.Resource!.Status);
        Assert.Equal(TimeSpan.Zero, step.Delay);
        Assert.Equal(4, step.Checkpoint.Attempt);
        Assert.Equal(time.Delays, delays);
    }

    [Fact]
    public async Task PollOnce_RateLimited_DelaysAtLeastRetryAfterAndCountsTheTransientFailure()
    {
        _server.Script(Path, Reply.JsonApiError(429, "Too Many Requests", ("Retry-After", "7")));
        var options = Options();

        var step = await _client.PollOnceAsync(WaitCheckpoint.ForImport(Id, options), options, TestContext.Token);

        Assert.Equal(WaitOutcome.Pending, step.Outcome);
        Assert.Null(step.Resource);
        Assert.Equal(TimeSpan.FromSeconds(7), step.Delay);
        Assert.Equal(429, Assert.IsType<BillingImportsApiException>(step.Exception).StatusCode);
        Assert.Equal(1, step.Checkpoint.ConsecutiveTransientFailures);
        Assert.Null(step.Checkpoint.LastStatus);
    }

    [Fact]
    public async Task PollOnce_TransientBudgetSpentAcrossSteps_IsAFinalErrorStep()
    {
        _server.Script(Path, Reply.JsonApiError(503, "Service Unavailable"));
        var options = Options(o => o.MaxConsecutiveTransientFailures = 2);
        var checkpoint = WaitCheckpoint.ForImport(Id, options);

        var outcomes = new List<WaitOutcome>();
        for (var i = 0; i < 3; i++)
        {
            var next = await _client.PollOnceAsync(checkpoint, options, TestContext.Token);
            outcomes.Add(next.Outcome);
            checkpoint = next.Checkpoint;
            if (next.IsFinal)
            {
                Assert.Equal(503, Assert.IsType<BillingImportsApiException>(next.Exception).StatusCode);
            }
        }

        Assert.Equal([WaitOutcome.Pending, WaitOutcome.Pending, WaitOutcome.Error], outcomes);
        Assert.Equal(3, checkpoint.ConsecutiveTransientFailures);
    }

    [Fact]
    public async Task PollOnce_NotFound_IsAFinalErrorStepNotAnException()
    {
        _server.Script(Path, Reply.JsonApiError(404, "Not Found"));
        var options = Options();

        var step = await _client.PollOnceAsync(WaitCheckpoint.ForImport(Id, options), options, TestContext.Token);

        Assert.Equal(WaitOutcome.Error, step.Outcome);
        Assert.True(step.IsFinal);
        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<BillingImportsApiException>(step.Exception).Kind);
        Assert.Equal(TimeSpan.Zero, step.Delay);
    }

    [Fact]
    public async Task PollOnce_FailedImport_IsAFinalStepCarryingItsFailingLinesReadOnce()
    {
        using var fake = new FakeBillingServer();
        const string failing = "2b7e1516-28ae-4d2a-a6f7-15880926cf4f";
        fake.Imports.Add(failing).Fails().WithErrors(new FakeImportError(17, "plan_id", "not found"));
        using var client = fake.CreateElasticPathClient();
        var options = Options();

        var step = await client.SubscriptionImports.PollOnceAsync(WaitCheckpoint.ForImport(failing, options), options, TestContext.Token);

        Assert.Equal(WaitOutcome.Failed, step.Outcome);
        var failed = Assert.IsType<ImportFailedException>(step.Exception);
        Assert.Equal("line 17, field plan_id: not found", Assert.Single(failed.ImportErrors).ToString());
        Assert.Equal(1, fake.RequestCount("/v2/subscriptions/imports/" + failing + "/errors"));
        Assert.Equal("failed", step.Checkpoint.LastStatus);
    }

    [Fact]
    public async Task PollOnce_DeadlinePassed_TimesOutWithoutARequest()
    {
        var options = Options(o => o.Timeout = TimeSpan.FromMinutes(5));
        var checkpoint = WaitCheckpoint.ForImport(Id, options) with { Attempt = 7, LastStatus = "started" };
        await Task.Delay(TimeSpan.FromMinutes(5), _time, TestContext.Token);

        var step = await _client.PollOnceAsync(checkpoint, options, TestContext.Token);

        Assert.Equal(WaitOutcome.TimedOut, step.Outcome);
        var timeout = Assert.IsType<PollingTimeoutException<SubscriptionImport>>(step.Exception);
        Assert.Equal(7, timeout.Attempts);
        Assert.Equal(TimeSpan.FromMinutes(5), timeout.Elapsed);
        Assert.Contains("last status 'started'", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount(Path));
    }

    [Fact]
    public async Task PollOnce_CheckpointFromAProcessWithLongerIntervals_IsHeldToTheseOptions()
    {
        _server.Script(Path, Reply.Import(Id, "started"));
        var options = Options(o => o.MaxInterval = TimeSpan.FromSeconds(5));
        var checkpoint = WaitCheckpoint.ForImport(Id, options) with { Interval = TimeSpan.FromMinutes(10) };

        var step = await _client.PollOnceAsync(checkpoint, options, TestContext.Token);

        Assert.Equal(TimeSpan.FromSeconds(5), step.Delay);
        Assert.Equal(TimeSpan.FromSeconds(5), step.Checkpoint.Interval);
    }

    [Fact]
    public async Task PollOnce_CheckpointOfTheOtherResource_ThrowsBeforeAnyRequest()
    {
        var sourceCheckpoint = WaitCheckpoint.ForDataSource("ds_fef05d54-47b4-431b-aed2-eb6b9e545430");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => _client.PollOnceAsync(sourceCheckpoint, cancellationToken: TestContext.Token));

        Assert.Equal("checkpoint", error.ParamName);
        Assert.Contains("data source", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount(Path));
    }

    [Fact]
    public async Task PollOnce_DataSource_StepsToDone()
    {
        const string uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
        _server.Script("/v1/data_sources/" + uuid, Reply.Source(uuid, "working"), Reply.Source(uuid, "idle"));
        var sources = new DataSourcesClient(_http);
        var options = Options();

        var first = await sources.PollOnceAsync(WaitCheckpoint.ForDataSource(uuid, options), options, TestContext.Token);
        var second = await sources.PollOnceAsync(first.Checkpoint, options, TestContext.Token);

        Assert.Equal((WaitOutcome.Pending, WaitOutcome.Succeeded), (first.Outcome, second.Outcome));
        Assert.Equal(DataSourceStatus.Idle, second.Resource!.Status);
        Assert.Null(second.Checkpoint.Imported);
        Assert.Equal(WaitResourceKind.DataSource, second.Checkpoint.ResourceKind);
    }
}
