using System.Diagnostics;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>
/// A wait's span says how it ended, and every wait that ends records its duration and polls on the
/// SDK's meter. Each test listens only to its own trace.
/// </summary>
public sealed class WaitTelemetryTests : ScriptedPollingTest
{
    private const string Id = "11111111-2222-3333-4444-555555555555";
    private const string Path = "/v2/subscriptions/imports/" + Id;
    private readonly SubscriptionImportsClient _client;

    public WaitTelemetryTests()
    {
        _client = new SubscriptionImportsClient(_http);
    }

    private PollingOptions Options(TimeSpan? timeout = null) => new() { TimeProvider = _time, Jitter = 0, Timeout = timeout ?? TimeSpan.FromHours(1), ImportErrorsOnFailure = 0 };

    [Theory]
    [InlineData("success", 2)]
    [InlineData("failed", 3)]
    [InlineData("timeout", 3)]
    [InlineData("error", 2)]
    public async Task Wait_Ends_SpanStatusAndOutcomeSayHow(string outcome, int polls)
    {
        Reply[] script = outcome switch
        {
            "success" => [Reply.Import(Id, "started"), Reply.Import(Id, "success", 100)],
            "failed" => [Reply.Import(Id, "started"), Reply.Import(Id, "started"), Reply.Import(Id, "failed", 40)],
            "timeout" => [Reply.Import(Id, "started")],
            _ => [Reply.Import(Id, "started"), Reply.JsonApiError(404, "Not Found")],
        };
        _server.Script(Path, script);
        using var spans = new ActivityRecorder();
        using var test = new Activity(outcome).Start();
        using var metrics = new WaitMetricRecorder();

        try
        {
            await _client.WaitForCompletionAsync(Id, Options(TimeSpan.FromSeconds(4.5)), cancellationToken: TestContext.Token);
        }
        catch (Exception exception) when (exception is ImportFailedException or PollingTimeoutException or BillingImportsApiException)
        {
            // The outcome under test.
        }

        test.Stop();
        var wait = Assert.Single(spans.Stopped, activity => activity.TraceId == test.TraceId && activity.OperationName == "BillingImports.Wait import");
        Assert.Equal(outcome, wait.GetTagItem("billing_imports.wait.outcome"));
        Assert.Equal(polls, wait.GetTagItem("billing_imports.wait.attempts"));
        Assert.Equal(outcome == "success" ? ActivityStatusCode.Ok : ActivityStatusCode.Error, wait.Status);

        var duration = Assert.Single(metrics.Of("billing_imports.wait.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.Equal(outcome, duration.Tags["billing_imports.wait.outcome"]);
        Assert.Equal("import", duration.Tags["billing_imports.resource.kind"]);
        Assert.Equal(_time.Elapsed.TotalSeconds, duration.Value, precision: 6);
        var pollCount = Assert.Single(metrics.Of("billing_imports.wait.polls"));
        Assert.Equal(polls, pollCount.Value);
        Assert.Equal(outcome, pollCount.Tags["billing_imports.wait.outcome"]);
        Assert.DoesNotContain(duration.Tags, tag => tag.Key == "billing_imports.resource.id");
    }

    [Fact]
    public async Task Wait_Cancelled_RecordsCancelledAndLeavesTheSpanUnset()
    {
        _server.Script(Path, Reply.Import(Id, "started"));
        using var spans = new ActivityRecorder();
        using var test = new Activity(nameof(Wait_Cancelled_RecordsCancelledAndLeavesTheSpanUnset)).Start();
        using var metrics = new WaitMetricRecorder();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.WaitForCompletionAsync(Id, Options(), new CancelAfter(cancel, 2), cancel.Token));

        test.Stop();
        var wait = Assert.Single(spans.Stopped, activity => activity.TraceId == test.TraceId && activity.OperationName == "BillingImports.Wait import");
        Assert.Equal("cancelled", wait.GetTagItem("billing_imports.wait.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, wait.Status);
        Assert.Equal("cancelled", Assert.Single(metrics.Of("billing_imports.wait.duration")).Tags["billing_imports.wait.outcome"]);
        Assert.Equal(2, Assert.Single(metrics.Of("billing_imports.wait.polls")).Value);
    }

    [Fact]
    public async Task Watch_FailedImport_IsAnErrorSpanThoughItIsYielded()
    {
        _server.Script(Path, Reply.Import(Id, "started"), Reply.Import(Id, "failed", 40));
        using var spans = new ActivityRecorder();
        using var test = new Activity(nameof(Watch_FailedImport_IsAnErrorSpanThoughItIsYielded)).Start();
        using var metrics = new WaitMetricRecorder();

        await foreach (var _ in _client.WatchAsync(Id, Options(), TestContext.Token))
        {
        }

        test.Stop();
        var wait = Assert.Single(spans.Stopped, activity => activity.TraceId == test.TraceId && activity.OperationName == "BillingImports.Wait import");
        Assert.Equal(ActivityStatusCode.Error, wait.Status);
        Assert.Equal("failed", Assert.Single(metrics.Of("billing_imports.wait.duration")).Tags["billing_imports.wait.outcome"]);
    }

    [Fact]
    public async Task PollOnce_FinalStepRecordsTheWaitAndAPendingOneDoesNot()
    {
        const string uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
        _server.Script("/v1/data_sources/" + uuid, Reply.Source(uuid, "working"), Reply.Source(uuid, "idle"));
        var sources = new DataSourcesClient(_http);
        using var spans = new ActivityRecorder();
        using var test = new Activity(nameof(PollOnce_FinalStepRecordsTheWaitAndAPendingOneDoesNot)).Start();
        using var metrics = new WaitMetricRecorder();
        var options = Options();

        var first = await sources.PollOnceAsync(WaitCheckpoint.ForDataSource(uuid, options), options, TestContext.Token);
        var afterFirst = metrics.Measurements.Count;
        await Task.Delay(first.Delay, _time, TestContext.Token);
        await sources.PollOnceAsync(first.Checkpoint, options, TestContext.Token);

        test.Stop();
        Assert.Equal(0, afterFirst);
        var duration = Assert.Single(metrics.Of("billing_imports.wait.duration"));
        Assert.Equal("data source", duration.Tags["billing_imports.resource.kind"]);
        Assert.Equal(1, duration.Value, precision: 6);
        var steps = spans.Stopped.Where(activity => activity.TraceId == test.TraceId && activity.OperationName == "BillingImports.Poll data source").ToList();
        Assert.Equal(2, steps.Count);
        Assert.Equal(ActivityStatusCode.Ok, steps[^1].Status);
        Assert.Equal("success", steps[^1].GetTagItem("billing_imports.wait.outcome"));
    }

    private sealed class CancelAfter(CancellationTokenSource cancel, int polls) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            if (value.Attempt == polls)
            {
                cancel.Cancel();
            }
        }
    }
}
