using System.Net;
using System.Text;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using Reply = BillingImports.Tests.Support.Reply;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Polling;

/// <summary>
/// Waits that read counts from <c>meta.records</c> at every poll, and that say why an import
/// failed: its first failing lines, fetched once, without ever hiding the failure itself.
/// </summary>
public sealed class ImportFailureWaitTests : IDisposable
{
    private const string Id = "2b7e1516-28ae-4d2a-a6f7-15880926cf4f";
    private const string ErrorsPath = "/v2/subscriptions/imports/" + Id + "/errors";

    private static readonly FakeImportError[] DemoErrors =
    [
        new(42, "email", "is not a valid email address", "sub-0042"),
        new(17, "plan_id", "not found", "sub-0017"),
        new(43, null, "duplicate line", "sub-0042"),
    ];

    private readonly FakeBillingServer _server = new();
    private readonly VirtualTime _time = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task WaitForCompletion_ScriptedImport_ReportsGrowingCountsFromMetaRecordsAtEveryPoll()
    {
        _server.Imports.Add(Id).WithUploadedRecords((RecordTypes.Plan, 40), (RecordTypes.Subscriber, 60)).Pending().Started(polls: 4).Succeeds();
        using var client = _server.CreateElasticPathClient();
        var progress = new RecordingProgress<ImportProgress>();

        var import = await client.SubscriptionImports.WaitForCompletionAsync(Id, Options(), progress, TestContext.Token);

        Assert.Equal(ImportStatus.Success, import.Status);
        var imported = progress.Reports.Select(report => report.Imported).ToList();
        Assert.Equal([0L, 20, 40, 60, 80, 100], imported);
        Assert.All(imported.Zip(imported.Skip(1)), pair => Assert.True(pair.First < pair.Second, $"{pair.First} then {pair.Second}"));
        Assert.All(progress.Reports, report => Assert.Equal(100, report.Uploaded));
        Assert.Equal([0L, 8, 16, 24, 32, 40], progress.Reports.Select(report => report.Import.Records.Imported.Plans!.Value));
        Assert.Equal([0L, 12, 24, 36, 48, 60], progress.Reports.Select(report => report.Import.Records.Imported.Subscribers!.Value));
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1.0], progress.Reports.Select(report => report.Fraction!.Value));
    }

    [Fact]
    public async Task WaitForCompletion_ImportFails_NamesItsFailingLinesInImportErrorsAndTheMessage()
    {
        _server.Imports.Add(Id).WithUploadedRecords((RecordTypes.Product, 1), (RecordTypes.Plan, 2), (RecordTypes.Subscriber, 50)).Started(polls: 3).Fails().WithErrors(DemoErrors);
        using var client = _server.CreateElasticPathClient();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => client.SubscriptionImports.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Equal(ImportStatus.Failed, failure.Import.Status);
        Assert.Equal(Id, failure.ImportId);
        Assert.Equal(53, failure.Uploaded.Total);
        Assert.Equal(37, failure.Imported.Subscribers);
        Assert.Equal(38, failure.Imported.Total);
        Assert.Equal([17L, 42, 43], failure.ImportErrors.Select(error => error.LineNumber));
        Assert.Equal("line 17, field plan_id: not found", failure.ImportErrors[0].ToString());
        Assert.Equal("sub-0017", failure.ImportErrors[0].ExternalRef);
        Assert.Null(failure.ImportErrorsFailure);
        Assert.Equal(
            $"Import {Id} failed after importing 38 of 53 records; first failing lines: line 17, field plan_id: not found; line 42, field email: is not a valid email address; line 43: duplicate line.",
            failure.Message);
    }

    [Fact]
    public async Task WaitForCompletion_ImportFails_FetchesTheErrorsOnceAndNoMoreThanAsked()
    {
        _server.Imports.Add(Id).Started(polls: 2).Fails().WithErrors(30);
        using var client = _server.CreateElasticPathClient();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => client.SubscriptionImports.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Equal(Enumerable.Range(2, 10).Select(line => (long)line), failure.ImportErrors.Select(error => error.LineNumber));
        Assert.Equal(1, _server.RequestCount(ErrorsPath));
        Assert.Equal("page[offset]=0&page[limit]=10", Uri.UnescapeDataString(_server.Requests.Single(request => request.Path == ErrorsPath).Query));

        // The message names the first three, the exception holds all ten.
        Assert.Contains("first failing lines: line 2, field plan_id: not found; line 3, field plan_id: not found; line 4, field plan_id: not found.", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(25)]
    [InlineData(100)]
    public async Task WaitForCompletion_ImportErrorsOnFailure_SetsHowManyLinesAreRead(int count)
    {
        _server.Imports.Add(Id).Fails().WithErrors(150);
        using var client = _server.CreateElasticPathClient();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => client.SubscriptionImports.WaitForCompletionAsync(Id, Options(o => o.ImportErrorsOnFailure = count), cancellationToken: TestContext.Token));

        Assert.Equal(count, failure.ImportErrors.Count);
        Assert.Equal(1, _server.RequestCount(ErrorsPath));
    }

    [Fact]
    public async Task WaitForCompletion_ImportErrorsOnFailureZero_FetchesNothing()
    {
        _server.Imports.Add(Id).WithUploadedRecords((RecordTypes.Subscription, 10)).Started().Fails().WithErrors(DemoErrors);
        using var client = _server.CreateElasticPathClient();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => client.SubscriptionImports.WaitForCompletionAsync(Id, Options(o => o.ImportErrorsOnFailure = 0), cancellationToken: TestContext.Token));

        Assert.Empty(failure.ImportErrors);
        Assert.Null(failure.ImportErrorsFailure);
        Assert.Equal(0, _server.RequestCount(ErrorsPath));
        Assert.Equal($"Import {Id} failed after importing 5 of 10 records.", failure.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task WaitForCompletion_ImportErrorsOnFailureOutOfRange_ThrowsBeforeAnyRequest(int count)
    {
        _server.Imports.Add(Id).Fails();
        using var client = _server.CreateElasticPathClient();

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SubscriptionImports.WaitForCompletionAsync(Id, Options(o => o.ImportErrorsOnFailure = count), cancellationToken: TestContext.Token));

        Assert.Equal(nameof(PollingOptions.ImportErrorsOnFailure), error.ParamName);
        Assert.Equal(0, _server.RequestCount("/v2/subscriptions/imports/" + Id));
    }

    [Theory]
    [InlineData(500, ApiErrorKind.ServerError)]
    [InlineData(404, ApiErrorKind.NotFound)]
    [InlineData(401, ApiErrorKind.Unauthorized)]
    public async Task WaitForCompletion_ErrorsCallFails_RecordedAndTheImportFailureStillThrown(int status, ApiErrorKind kind)
    {
        _server.Imports.Add(Id).Started().Fails().WithErrors(DemoErrors);
        _server.WireMock.Given(Request.Create().WithPath(ErrorsPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody("""{"errors":[{"status":"x","title":"Errors unavailable"}]}"""));
        using var http = _server.CreateElasticPathHttpClient();

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => new SubscriptionImportsClient(http).WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Equal(ImportStatus.Failed, failure.Import.Status);
        Assert.Empty(failure.ImportErrors);
        var cause = Assert.IsType<BillingImportsApiException>(failure.ImportErrorsFailure);
        Assert.Equal((kind, status), (cause.Kind, cause.StatusCode));
        Assert.Equal(1, _server.RequestCount(ErrorsPath));
        Assert.EndsWith("records.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCompletion_ErrorsCallTimesOut_RecordedAndTheImportFailureStillThrown()
    {
        // What HttpClient throws when its own timeout ends a request: a cancellation nobody asked for.
        var timedOut = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", new TimeoutException("The operation was canceled."));
        var handler = new JobHandler((_, _) => throw timedOut, Reply.ImportJson(Id, "started", 1, 10), Reply.ImportJson(Id, "failed", 4, 10));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("https://imports.example.test/") };

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => new SubscriptionImportsClient(http).WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.Same(timedOut, failure.ImportErrorsFailure);
        Assert.IsType<TimeoutException>(failure.ImportErrorsFailure!.InnerException);
        Assert.Equal(4, failure.Imported.Subscriptions);
        Assert.Equal(1, handler.ErrorRequests);
    }

    [Fact]
    public async Task WaitForCompletion_CallerCancelsWhileTheErrorsAreRead_TheImportFailureIsNotHidden()
    {
        using var cancel = new CancellationTokenSource();
        var handler = new JobHandler(
            (_, token) =>
            {
                cancel.Cancel();
                token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The caller's token reaches the request.");
            },
            Reply.ImportJson(Id, "failed", 4, 10));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("https://imports.example.test/") };

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => new SubscriptionImportsClient(http).WaitForCompletionAsync(Id, Options(), cancellationToken: cancel.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(failure.ImportErrorsFailure);
        Assert.Equal(ImportStatus.Failed, failure.Import.Status);
        Assert.Equal(1, handler.ErrorRequests);
    }

    [Fact]
    public async Task WaitForCompletion_ErrorsCallCannotConnect_RecordedAndTheImportFailureStillThrown()
    {
        var handler = new JobHandler((_, _) => throw new HttpRequestException("Connection refused."), Reply.ImportJson(Id, "failed", 0, 10));
        using var http = new HttpClient(handler) { BaseAddress = new Uri("https://imports.example.test/") };

        var failure = await Assert.ThrowsAsync<ImportFailedException>(() => new SubscriptionImportsClient(http).WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token));

        Assert.IsType<HttpRequestException>(failure.ImportErrorsFailure);
        Assert.Equal($"Import {Id} failed after importing 0 of 10 records.", failure.Message);
    }

    [Fact]
    public async Task WaitForCompletion_SuccessWithFewerImportedThanUploaded_ReturnsAndItsErrorsAreThereOnRequest()
    {
        _server.Imports.Add(Id).Started().RespondsWith(200, Reply.ImportJson(Id, "success", 90, 100)).WithErrors(10);
        using var client = _server.CreateElasticPathClient();

        var import = await client.SubscriptionImports.WaitForCompletionAsync(Id, Options(), cancellationToken: TestContext.Token);
        var requestsDuringTheWait = _server.RequestCount(ErrorsPath);
        var skipped = new List<SubscriptionImportError>();
        await foreach (var error in client.SubscriptionImports.GetImportErrorsAsync(Id, cancellationToken: TestContext.Token))
        {
            skipped.Add(error);
        }

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal(90, import.Records.Imported.Subscriptions);
        Assert.Equal(100, import.Records.Uploaded.Subscriptions);
        Assert.Equal(0, requestsDuringTheWait);
        Assert.Equal(Enumerable.Range(2, 10).Select(line => (long)line), skipped.Select(error => error.LineNumber));
    }

    [Fact]
    public async Task Watch_FailedImport_IsYieldedNotThrownAndFetchesNoErrors()
    {
        _server.Imports.Add(Id).Started(polls: 2).Fails().WithErrors(DemoErrors);
        using var client = _server.CreateElasticPathClient();

        var seen = new List<SubscriptionImport>();
        await foreach (var import in client.SubscriptionImports.WatchAsync(Id, Options(), TestContext.Token))
        {
            seen.Add(import);
        }

        Assert.Equal(["started", "started", "failed"], seen.Select(import => import.Status.Value));
        Assert.Equal(0, _server.RequestCount(ErrorsPath));
    }

    [Fact]
    public void ImportFailedException_BuiltByHand_DescribesTheImportAndKeepsWhatItIsGiven()
    {
        var import = new SubscriptionImport { Id = "i1", Attributes = new SubscriptionImportAttributes { Status = ImportStatus.Failed } };
        import.Meta.Records.Uploaded = new RecordCounts([new(RecordTypes.Plan, 3)]);
        var cause = new BillingImportsApiException("HTTP 500 Internal Server Error.", ApiErrorKind.ServerError, 500);

        var failure = new ImportFailedException(import, importErrorsFailure: cause);

        Assert.Equal("Import i1 failed after importing 0 of 3 records.", failure.Message);
        Assert.Same(cause, failure.ImportErrorsFailure);
        Assert.Empty(failure.ImportErrors);
        Assert.Equal(3, failure.Uploaded.Plans);
        Assert.Empty(failure.Imported);
    }

    private PollingOptions Options(Action<PollingOptions>? configure = null)
    {
        var options = new PollingOptions { TimeProvider = _time, Jitter = 0 };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Answers the import with each body in turn (the last repeats) and the errors page with <paramref name="errors"/>.</summary>
    private sealed class JobHandler(Func<HttpRequestMessage, CancellationToken, HttpResponseMessage> errors, params string[] bodies) : HttpMessageHandler
    {
        private int _polls;
        private int _errorRequests;

        public int ErrorRequests => Volatile.Read(ref _errorRequests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/errors", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _errorRequests);
                return Task.FromResult(errors(request, cancellationToken));
            }

            var body = bodies[Math.Min(Interlocked.Increment(ref _polls), bodies.Length) - 1];
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
