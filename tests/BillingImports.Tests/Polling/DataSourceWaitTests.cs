using BillingImports.Tests.Support;

namespace BillingImports.Tests.Polling;

public sealed class DataSourceWaitTests : ScriptedPollingTest
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string Path = "/v1/data_sources/" + Uuid;
    private readonly DataSourcesClient _client;

    public DataSourceWaitTests()
    {
        _client = new DataSourcesClient(_http);
    }

    [Theory]
    [InlineData("working", "idle")]
    [InlineData("importing", "import_complete")]
    [InlineData("working", "import_complete")]
    [InlineData("importing", "idle")]
    public async Task WaitForCompletion_ProcessingThenDone_ReturnsTheDoneState(string processing, string done)
    {
        _server.Script(Path, Reply.Source(Uuid, processing), Reply.Source(Uuid, processing), Reply.Source(Uuid, done));

        var source = await _client.WaitForCompletionAsync(Uuid, new PollingOptions { TimeProvider = _time, Jitter = 0 }, cancellationToken: TestContext.Token);

        Assert.Equal(done, source.Status.Value);
        Assert.True(source.Status.IsDone);
        Assert.Equal(3, _server.RequestCount(Path));
    }

    [Fact]
    public async Task WaitForCompletion_NeverImported_KeepsWaitingForTheFirstImport()
    {
        _server.Script(Path, Reply.Source(Uuid, "never_imported"), Reply.Source(Uuid, "importing"), Reply.Source(Uuid, "import_complete"));
        var progress = new RecordingProgress<DataSourceProgress>();

        var source = await _client.WaitForCompletionAsync(Uuid, new PollingOptions { TimeProvider = _time }, progress, TestContext.Token);

        Assert.Equal(DataSourceStatus.ImportComplete, source.Status);
        Assert.Equal([DataSourceStatus.NeverImported, DataSourceStatus.Importing, DataSourceStatus.ImportComplete], progress.Reports.Select(p => p.Status));
    }

    [Fact]
    public async Task WaitForCompletion_AlreadyIdle_ReturnsAfterOnePoll()
    {
        _server.Script(Path, Reply.Source(Uuid, "idle"));

        var source = await _client.WaitForCompletionAsync(Uuid, new PollingOptions { TimeProvider = _time }, cancellationToken: TestContext.Token);

        Assert.Equal(DataSourceStatus.Idle, source.Status);
        Assert.Equal(1, _server.RequestCount(Path));
        Assert.Empty(_time.Delays);
    }

    [Fact]
    public async Task WaitForCompletion_StuckWorking_TimesOutWithTheLastState()
    {
        _server.Script(Path, Reply.Source(Uuid, "working"));

        var timeout = await Assert.ThrowsAsync<PollingTimeoutException<DataSource>>(() => _client.WaitForCompletionAsync(
            Uuid, new PollingOptions { TimeProvider = _time, Timeout = TimeSpan.FromMinutes(2) }, cancellationToken: TestContext.Token));

        // Typed: the last state is a DataSource without a cast.
        DataSource? last = timeout.LastObserved;
        Assert.Equal(DataSourceStatus.Working, last!.Status);
        Assert.Equal(Uuid, last.Uuid);
        Assert.IsAssignableFrom<PollingTimeoutException>(timeout);
        Assert.Contains("'working'", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_YieldsEachStatusChangeOnce()
    {
        _server.Script(Path, Reply.Source(Uuid, "working"), Reply.Source(Uuid, "working"), Reply.Source(Uuid, "working"), Reply.Source(Uuid, "idle"));

        var seen = new List<string>();
        await foreach (var source in _client.WatchAsync(Uuid, new PollingOptions { TimeProvider = _time }, TestContext.Token))
        {
            seen.Add(source.Status.Value);
        }

        Assert.Equal(["working", "idle"], seen);
        Assert.Equal(4, _server.RequestCount(Path));
    }
}
