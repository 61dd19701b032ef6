using BillingImports.Testing;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>Many waits at once: every wait's outcome is there, and the totals add up.</summary>
public sealed class FleetWaitTests : IDisposable
{
    private const string Succeeds = "0b1f6a52-1c55-4e4a-9d7e-3a1c2b3d4e01";
    private const string Fails = "0b1f6a52-1c55-4e4a-9d7e-3a1c2b3d4e02";
    private const string Stalls = "0b1f6a52-1c55-4e4a-9d7e-3a1c2b3d4e03";
    private const string Unknown = "0b1f6a52-1c55-4e4a-9d7e-3a1c2b3d4e04";

    private readonly FakeBillingServer _server = new();
    private readonly VirtualTime _time = new();

    public void Dispose() => _server.Dispose();

    private PollingOptions Options() => new() { TimeProvider = _time, Timeout = TimeSpan.FromMinutes(10) };

    private void ScriptFourImports()
    {
        _server.Imports.Add(Succeeds).WithUploadedRecords((RecordTypes.Plan, 40)).Started(polls: 3).Succeeds();
        _server.Imports.Add(Fails).WithUploadedRecords((RecordTypes.Subscriber, 60)).Started(polls: 2).Fails().WithErrors(new FakeImportError(17, "plan_id", "not found"));
        _server.Imports.Add(Stalls).WithUploadedRecords((RecordTypes.Plan, 10)).Started();
    }

    [Fact]
    public async Task WaitForAll_MixedOutcomes_ReportsEveryWaitAndNoFailureHidesAnother()
    {
        ScriptFourImports();
        using var client = _server.CreateElasticPathClient();

        var all = await client.SubscriptionImports.WaitForAllAsync([Succeeds, Fails, Stalls, Unknown], Options(), cancellationToken: TestContext.Token);

        Assert.Equal([Succeeds, Fails, Stalls, Unknown], all.Select(result => result.ResourceId));
        Assert.Equal([WaitOutcome.Succeeded, WaitOutcome.Failed, WaitOutcome.TimedOut, WaitOutcome.Error], all.Select(result => result.Outcome));

        Assert.True(all[0].IsSuccess);
        Assert.Equal(ImportStatus.Success, all[0].Resource!.Status);
        Assert.Null(all[0].Exception);

        var failed = Assert.IsType<ImportFailedException>(all[1].Exception);
        Assert.Equal("line 17, field plan_id: not found", Assert.Single(failed.ImportErrors).ToString());
        Assert.Equal(ImportStatus.Failed, all[1].Resource!.Status);

        var timeout = Assert.IsType<PollingTimeoutException<SubscriptionImport>>(all[2].Exception);
        Assert.Equal(ImportStatus.Started, timeout.LastObserved!.Status);
        Assert.Equal(ImportStatus.Started, all[2].Resource!.Status);

        Assert.Equal(ApiErrorKind.NotFound, Assert.IsType<BillingImportsApiException>(all[3].Exception).Kind);
        Assert.Null(all[3].Resource);

        Assert.Equal(new WaitAllProgress(4, 1, 1, 1, 1, Imported: 40 + 40 + 5, Uploaded: 40 + 60 + 10), all.Progress);
        Assert.False(all.AllSucceeded);
        Assert.Equal([Fails], all.WithOutcome(WaitOutcome.Failed).Select(result => result.ResourceId));
    }

    [Fact]
    public async Task WaitForAll_Progress_CountsDoneAndFailedAndRecordsAsTheyMove()
    {
        ScriptFourImports();
        using var client = _server.CreateElasticPathClient();
        var progress = new RecordingProgress<WaitAllProgress>();

        var all = await client.SubscriptionImports.WaitForAllAsync([Succeeds, Fails], Options(), progress, TestContext.Token);

        var reports = progress.Reports;
        Assert.Equal(all.Progress, reports[^1]);
        Assert.True(reports[^1].IsComplete);
        Assert.Equal((2, 0), (reports[^1].Done, reports[^1].Pending));
        Assert.All(reports, report => Assert.Equal(2, report.Total));
        Assert.All(reports.Zip(reports.Skip(1)), pair => Assert.True(pair.Second.Done >= pair.First.Done, "done went backwards"));
        Assert.Contains(reports, report => report.Done == 0 && report.Imported > 0);
        Assert.Equal((80L, 100L), (reports[^1].Imported, reports[^1].Uploaded));
    }

    [Fact]
    public async Task WatchMany_YieldsEachChangeAndEachEnd_ThenStops()
    {
        ScriptFourImports();
        using var client = _server.CreateElasticPathClient();

        var updates = new List<WaitUpdate<SubscriptionImport>>();
        await foreach (var update in client.SubscriptionImports.WatchManyAsync([Succeeds, Unknown], Options(), TestContext.Token))
        {
            updates.Add(update);
        }

        var succeeding = updates.Where(update => update.Wait.ResourceId == Succeeds).ToList();
        Assert.Equal(["started", "started", "started", "success"], succeeding.Select(update => update.Wait.Resource!.Status.Value));
        Assert.Equal(WaitOutcome.Succeeded, succeeding[^1].Wait.Outcome);
        Assert.All(succeeding.SkipLast(1), update => Assert.Equal(WaitOutcome.Pending, update.Wait.Outcome));
        var unknown = Assert.Single(updates, update => update.Wait.ResourceId == Unknown);
        Assert.Equal(WaitOutcome.Error, unknown.Wait.Outcome);
        Assert.True(updates[^1].Progress.IsComplete);
        Assert.Equal((1, 1), (updates[^1].Progress.Succeeded, updates[^1].Progress.Errors));
    }

    [Fact]
    public async Task WaitForAll_DataSources_EachEndsOnItsOwn()
    {
        _server.DataSources.Add("ds_fleet_1").Working(polls: 2).Idle();
        _server.DataSources.Add("ds_fleet_2").Importing().ImportComplete();
        _server.DataSources.Add("ds_fleet_3").Working();
        using var client = _server.CreateChartMogulClient();

        var all = await client.DataSources.WaitForAllAsync(["ds_fleet_1", "ds_fleet_2", "ds_fleet_3"], Options(), cancellationToken: TestContext.Token);

        Assert.Equal([WaitOutcome.Succeeded, WaitOutcome.Succeeded, WaitOutcome.TimedOut], all.Select(result => result.Outcome));
        Assert.Equal([DataSourceStatus.Idle, DataSourceStatus.ImportComplete, DataSourceStatus.Working], all.Select(result => result.Resource!.Status));
        Assert.Equal((0L, 0L), (all.Progress.Imported, all.Progress.Uploaded));
    }

    [Fact]
    public async Task WaitForAll_AnExceptionFromAConsumersClient_IsThatWaitsErrorOnly()
    {
        var client = new ThrowingForOne(Unknown, new SubscriptionImportsClient(_server.CreateElasticPathHttpClient()));
        _server.Imports.Add(Succeeds).Succeeds();

        var all = await client.WaitForAllAsync([Succeeds, Unknown], Options(), cancellationToken: TestContext.Token);

        Assert.Equal([WaitOutcome.Succeeded, WaitOutcome.Error], all.Select(result => result.Outcome));
        Assert.IsType<InvalidOperationException>(all[1].Exception);
    }

    [Theory]
    [InlineData(new[] { "a", "a" }, "given twice")]
    [InlineData(new[] { "a", " " }, "null, empty or white space")]
    public async Task WaitForAll_BadIds_ThrowArgumentExceptionBeforeAnyRequest(string[] ids, string why)
    {
        using var client = _server.CreateElasticPathClient();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.SubscriptionImports.WaitForAllAsync(ids, cancellationToken: TestContext.Token));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Equal("importUuids", error.ParamName);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task WaitForAll_NoIds_ReturnsAnEmptyCompleteResult()
    {
        using var client = _server.CreateElasticPathClient();

        var all = await client.SubscriptionImports.WaitForAllAsync([], cancellationToken: TestContext.Token);

        Assert.Empty(all);
        Assert.True(all.Progress.IsComplete);
        Assert.True(all.AllSucceeded);
    }

    [Fact]
    public async Task WaitForAll_Cancelled_ThrowsOperationCanceled()
    {
        _server.Imports.Add(Stalls).Started();
        using var client = _server.CreateElasticPathClient();
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnFirst(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.SubscriptionImports.WaitForAllAsync([Stalls], new PollingOptions { InitialInterval = TimeSpan.FromMinutes(10), MaxInterval = TimeSpan.FromMinutes(10) }, progress, cancel.Token));
    }

    [Fact]
    public async Task WaitForAll_ManyIds_KeepsAtMost128PollsInFlight()
    {
        var client = new HeldImports();
        var ids = Enumerable.Range(0, 200).Select(i => "import-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var all = client.WaitForAllAsync(ids, Options(), cancellationToken: TestContext.Token);
        for (var i = 0; i < 1_000 && client.InFlight < FleetWaiter.MaxPollsInFlight; i++)
        {
            await Task.Delay(5, TestContext.Token);
        }

        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(5, TestContext.Token);
        }

        var mostAtOnce = client.MostInFlight;
        client.Release();
        var results = await all.WaitAsync(TestContext.Token);

        Assert.Equal(FleetWaiter.MaxPollsInFlight, mostAtOnce);
        Assert.Equal(200, results.Progress.Succeeded);
    }

    [Fact]
    public async Task WatchMany_ReaderStopsEarly_TheRemainingWaitsEnd()
    {
        _server.Imports.Add(Stalls).Started();
        _server.Imports.Add(Succeeds).Started();
        using var client = _server.CreateElasticPathClient();
        var counted = new CountingImports(client.SubscriptionImports);

        await foreach (var update in counted.WatchManyAsync([Stalls, Succeeds], new PollingOptions { TimeProvider = _time, Timeout = Timeout.InfiniteTimeSpan }, TestContext.Token))
        {
            Assert.Equal(WaitOutcome.Pending, update.Wait.Outcome);
            break;
        }

        // Leaving the loop ended both waits: none is in flight, and with the virtual clock firing every
        // delay at once, a wait still running would go on polling while this test yields.
        Assert.Equal(0, counted.InFlight);
        var polls = counted.Started;
        for (var i = 0; i < 50; i++)
        {
            await Task.Yield();
        }

        Assert.Equal(polls, counted.Started);
    }

    /// <summary>Counts the polls a client starts and how many are in flight, counted at the client, not at a server's log.</summary>
    private sealed class CountingImports(ISubscriptionImportsClient inner) : ISubscriptionImportsClient
    {
        private int _started;
        private int _inFlight;

        public int Started => Volatile.Read(ref _started);

        public int InFlight => Volatile.Read(ref _inFlight);

        public async Task<SubscriptionImport> GetImportAsync(string importUuid, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _inFlight);
            try
            {
                return await inner.GetImportAsync(importUuid, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<SubscriptionImportErrorPage> ListImportErrorsAsync(string importUuid, int? pageOffset = null, int? pageLimit = null, CancellationToken cancellationToken = default) =>
            inner.ListImportErrorsAsync(importUuid, pageOffset, pageLimit, cancellationToken);
    }

    /// <summary>Every import succeeds, but only once released; counts the polls waiting for that.</summary>
    private sealed class HeldImports : ISubscriptionImportsClient
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _most;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MostInFlight => Volatile.Read(ref _most);

        public void Release() => _release.TrySetResult();

        public async Task<SubscriptionImport> GetImportAsync(string importUuid, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while (now > (most = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }

            try
            {
                await _release.Task.WaitAsync(cancellationToken);
                return new SubscriptionImport { Id = importUuid, Attributes = new SubscriptionImportAttributes { Status = ImportStatus.Success } };
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<SubscriptionImportErrorPage> ListImportErrorsAsync(string importUuid, int? pageOffset = null, int? pageLimit = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("No import fails here.");
    }

    private sealed class CancelOnFirst(CancellationTokenSource cancel) : IProgress<WaitAllProgress>
    {
        public void Report(WaitAllProgress value) => cancel.Cancel();
    }

    /// <summary>A consumer's own client that fails in a way the SDK does not know for one id.</summary>
    private sealed class ThrowingForOne(string id, ISubscriptionImportsClient inner) : ISubscriptionImportsClient
    {
        public Task<SubscriptionImport> GetImportAsync(string importUuid, CancellationToken cancellationToken = default) =>
            importUuid == id ? throw new InvalidOperationException("The consumer's mock has no answer.") : inner.GetImportAsync(importUuid, cancellationToken);

        public Task<SubscriptionImportErrorPage> ListImportErrorsAsync(string importUuid, int? pageOffset = null, int? pageLimit = null, CancellationToken cancellationToken = default) =>
            inner.ListImportErrorsAsync(importUuid, pageOffset, pageLimit, cancellationToken);
    }
}
