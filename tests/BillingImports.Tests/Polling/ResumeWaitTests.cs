using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>A wait resumed from a checkpoint, as after a deploy: its deadline, poll count and backoff go on, they do not start over.</summary>
public sealed class ResumeWaitTests : IDisposable
{
    private const string Id = "11111111-2222-3333-4444-555555555555";
    private const string Path = "/v2/subscriptions/imports/" + Id;
    private readonly ScriptedServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ResumeWait_CheckpointFromAnInterruptedWait_KeepsTheOriginalDeadlineAndCounts()
    {
        _server.Script(Path, Reply.Import(Id, "started", 10));
        var time = new VirtualTime();
        var saved = new List<string>();

        // The first process: polls three times, saving each checkpoint as JSON, then goes away.
        using (var interrupted = new CancellationTokenSource())
        using (var http = _server.CreateClient())
        {
            var progress = new RecordingProgress<ImportProgress>();
            var first = new SubscriptionImportsClient(http).WaitForCompletionAsync(
                Id,
                new PollingOptions { TimeProvider = time, Jitter = 0, Timeout = TimeSpan.FromMinutes(10) },
                new SavingProgress(saved, interrupted, after: 3),
                interrupted.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        }

        // The second process: other options, the same deadline.
        using var resumedHttp = _server.CreateClient();
        var checkpoint = WaitCheckpoint.FromJson(saved[^1]);
        var resumed = new SubscriptionImportsClient(resumedHttp).ResumeWaitAsync(
            checkpoint, new PollingOptions { TimeProvider = time, Jitter = 0, Timeout = TimeSpan.FromHours(5) }, cancellationToken: TestContext.Token);

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<SubscriptionImport>>(() => resumed);
        Assert.Equal(3, checkpoint.Attempt);
        Assert.Equal(TimeSpan.FromMinutes(10), timeout.Elapsed);
        Assert.Equal(_server.RequestCount(Path), timeout.Attempts);
        Assert.Contains("timed out after 00:10:00", timeout.Message, StringComparison.Ordinal);
        Assert.Equal(ImportStatus.Started, timeout.LastObserved!.Status);
    }

    [Fact]
    public async Task ResumeWait_BackoffGoesOnFromTheCheckpointsInterval()
    {
        _server.Script(Path, Reply.Import(Id, "started"), Reply.Import(Id, "success", 100));
        var time = new VirtualTime();
        var options = new PollingOptions { TimeProvider = time, Jitter = 0 };
        var checkpoint = WaitCheckpoint.ForImport(Id, options) with { Attempt = 4, Interval = TimeSpan.FromSeconds(5.5) };
        using var http = _server.CreateClient();
        var progress = new RecordingProgress<ImportProgress>();

        var import = await new SubscriptionImportsClient(http).ResumeWaitAsync(checkpoint, options, progress, TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal([TimeSpan.FromSeconds(5.5)], time.Delays);
        Assert.Equal([5, 6], progress.Reports.Select(report => report.Attempt));
        Assert.Equal(6, progress.Reports[^1].Checkpoint!.Attempt);
    }

    [Fact]
    public async Task ResumeWait_DataSourceCheckpointOnTheImportsClient_ThrowsArgumentException()
    {
        using var http = _server.CreateClient();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => new SubscriptionImportsClient(http).ResumeWaitAsync(WaitCheckpoint.ForDataSource("ds_1"), cancellationToken: TestContext.Token));

        Assert.Equal("checkpoint", error.ParamName);
    }

    [Fact]
    public async Task ResumeWait_DataSource_FinishesFromItsCheckpoint()
    {
        const string uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
        _server.Script("/v1/data_sources/" + uuid, Reply.Source(uuid, "idle"));
        var time = new VirtualTime();
        var options = new PollingOptions { TimeProvider = time };
        using var http = _server.CreateClient();
        var progress = new RecordingProgress<DataSourceProgress>();

        var source = await new DataSourcesClient(http).ResumeWaitAsync(WaitCheckpoint.ForDataSource(uuid, options) with { Attempt = 9 }, options, progress, TestContext.Token);

        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.Equal(10, Assert.Single(progress.Reports).Attempt);
    }

    /// <summary>Keeps each report's checkpoint as JSON, as a service would in its own store, and cancels after a number of polls.</summary>
    private sealed class SavingProgress(List<string> saved, CancellationTokenSource stop, int after) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value)
        {
            saved.Add(value.Checkpoint!.ToJson());
            if (saved.Count == after)
            {
                stop.Cancel();
            }
        }
    }
}
