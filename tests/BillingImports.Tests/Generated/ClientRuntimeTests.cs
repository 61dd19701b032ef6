using System.Net;
using System.Text;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Generated;

/// <summary>
/// What the generated clients do on every call (<c>ClientRuntime</c>): the URL they build, the
/// query they send, and how they read or refuse what comes back.
/// </summary>
public sealed class ClientRuntimeTests
{
    private const string ImportJson = """{"data":{"id":"i1","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:00:00Z"},"records":{"uploaded":{"subscription":10},"imported":{"subscription":4}}}},"jsonapi":{"version":"1.0"}}""";
    private const string DataSourceJson = """{"uuid":"ds_1","name":"Données","status":"idle"}""";
    private const string ErrorPageJson = """{"data":[{"id":"e1","type":"subscription_import_error","meta":{"line_number":17,"field":"plan_id","error":"not found"}}]}""";

    /// <summary>Each generated operation, called with one id.</summary>
    public static TheoryData<string> Operations() => ["GetDataSource", "GetImport", "ListImportErrors"];

    public static TheoryData<string, string> OperationsAndIdsThatNameNoResource()
    {
        var data = new TheoryData<string, string>();
        foreach (var operation in new[] { "GetDataSource", "GetImport", "ListImportErrors" })
        {
            foreach (var id in new[] { string.Empty, " ", "\t", ".", ".." })
            {
                data.Add(operation, id);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OperationsAndIdsThatNameNoResource))]
    public async Task IdThatNamesNoResource_ThrowsArgumentExceptionAndSendsNothing(string operation, string id)
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, BodyOf(operation)));
        using var http = handler.Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Call(http, operation, id));

        Assert.Equal(operation == "GetDataSource" ? "dataSourceUuid" : "importUuid", error.ParamName);
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task NullId_ThrowsArgumentNullExceptionAndSendsNothing(string operation)
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, BodyOf(operation)));
        using var http = handler.Client();

        await Assert.ThrowsAsync<ArgumentNullException>(() => Call(http, operation, null!));

        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData("GetDataSource", "v1/data_sources/")]
    [InlineData("GetImport", "v2/subscriptions/imports/")]
    [InlineData("ListImportErrors", "v2/subscriptions/imports/")]
    public async Task IdWithReservedCharacters_StaysOnePathSegment(string operation, string prefix)
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, BodyOf(operation)));
        using var http = handler.Client();

        await Call(http, operation, "a/b?c#d%e f");

        var uri = Assert.Single(handler.Requests).RequestUri!;
        var suffix = operation == "ListImportErrors" ? "/errors" : string.Empty;
        Assert.Equal("/" + prefix + "a%2Fb%3Fc%23d%25e%20f" + suffix, uri.AbsolutePath);
        Assert.Equal(string.Empty, uri.Query);
        Assert.Equal(string.Empty, uri.Fragment);
        Assert.Equal(prefix.Count(c => c == '/') + 1 + (suffix.Length > 0 ? 1 : 0), uri.Segments.Length - 1);
    }

    [Fact]
    public async Task DataSourceFlags_AreSentAsTheServiceNamesThemAndOnlyWhenGiven()
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, DataSourceJson));
        using var http = handler.Client();
        var client = new DataSourcesClient(http);

        await client.GetDataSourceAsync("ds_1", withProcessingStatus: true, withAutoChurnSubscriptionSetting: false, withInvoiceHandlingSetting: true, cancellationToken: TestContext.Token);
        await client.GetDataSourceAsync("ds_1", withInvoiceHandlingSetting: true, cancellationToken: TestContext.Token);
        await client.GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token);

        Assert.Equal(
            ["?with_processing_status=true&with_auto_churn_subscription_setting=false&with_invoice_handling_setting=true", "?with_invoice_handling_setting=true", string.Empty],
            handler.Requests.Select(request => request.RequestUri!.Query));
    }

    [Fact]
    public async Task PageParameters_AreSentAsPageOffsetAndPageLimitAndOnlyWhenGiven()
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, ErrorPageJson));
        using var http = handler.Client();
        var client = new SubscriptionImportsClient(http);

        await client.ListImportErrorsAsync("i1", 20, 10, TestContext.Token);
        await client.ListImportErrorsAsync("i1", pageLimit: 5, cancellationToken: TestContext.Token);
        await client.ListImportErrorsAsync("i1", cancellationToken: TestContext.Token);

        var queries = handler.Requests.Select(request => Uri.UnescapeDataString(request.RequestUri!.Query)).ToList();
        Assert.Equal(["?page[offset]=20&page[limit]=10", "?page[limit]=5", string.Empty], queries);
    }

    [Fact]
    public async Task PageParameters_ReachTheServerUnderTheNamesItReads()
    {
        using var server = new FakeBillingServer();
        const string id = "6a1f0e2d-3c4b-4a59-8e7d-1f2a3b4c5d6e";
        server.Imports.Add(id).Fails().WithErrors(5);
        using var http = server.CreateElasticPathHttpClient();

        // The fake pages by page[offset] and page[limit] (default limit 25): one error at offset 2 shows both arrived.
        var page = await new SubscriptionImportsClient(http).ListImportErrorsAsync(id, 2, 1, TestContext.Token);

        Assert.Equal(4, Assert.Single(page.Data).LineNumber);
        Assert.Equal(2, page.Meta!.Page!.Offset);
        Assert.Equal(1, page.Meta.Page.Limit);
        Assert.Equal(5, page.Meta.Results!.Total);
    }

    [Fact]
    public async Task DataSourceFlags_ReachTheServerUnderTheNamesItReads()
    {
        using var server = new FakeBillingServer();
        server.DataSources.Add("ds_flags").Working().Idle();
        using var http = server.CreateChartMogulHttpClient();
        var client = new DataSourcesClient(http);

        var without = await client.GetDataSourceAsync("ds_flags", cancellationToken: TestContext.Token);
        var with = await client.GetDataSourceAsync("ds_flags", withProcessingStatus: true, withAutoChurnSubscriptionSetting: true, withInvoiceHandlingSetting: true, cancellationToken: TestContext.Token);

        Assert.Null(without.ProcessingStatus);
        Assert.Null(without.AutoChurnSubscriptionSetting);
        Assert.Null(without.InvoiceHandlingSetting);
        Assert.Equal(new DataSourceProcessingStatus(100, 0, 0), with.ProcessingStatus);
        Assert.Equal(new AutoChurnSubscriptionSetting(true, 7), with.AutoChurnSubscriptionSetting);
        Assert.Equal("paid", with.InvoiceHandlingSetting!.Automatic!.CreateSubscriptionWhenInvoiceIs);
    }

    [Theory]
    [InlineData("GetDataSource", HttpStatusCode.Created)]
    [InlineData("GetDataSource", HttpStatusCode.NoContent)]
    [InlineData("GetImport", HttpStatusCode.Accepted)]
    [InlineData("GetImport", HttpStatusCode.NoContent)]
    [InlineData("ListImportErrors", HttpStatusCode.PartialContent)]
    [InlineData("ListImportErrors", HttpStatusCode.NonAuthoritativeInformation)]
    public async Task UndocumentedSuccessStatus_IsInvalidResponse(string operation, HttpStatusCode status)
    {
        // Even with a body that would read: the spec promises the document with 200 only.
        var handler = new RecordingHandler(_ => Json(status, BodyOf(operation)));
        using var http = handler.Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => Call(http, operation, "id-1"));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal((int)status, error.StatusCode);
        Assert.False(error.IsTransient);
        Assert.Contains("does not document", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task BodyThatBreaksMidStream_IsATransientNetworkError(string operation)
    {
        var prefix = Encoding.UTF8.GetBytes(BodyOf(operation)[..20]);
        var handler = new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new BreakingStream(prefix)) });
        using var http = handler.Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => Call(http, operation, "id-1"));

        Assert.Equal(ApiErrorKind.Network, error.Kind);
        Assert.True(error.IsTransient);
        Assert.True(error.InnerException is IOException or HttpRequestException, error.InnerException?.GetType().Name);
    }

    [Theory]
    [InlineData("iso-8859-1")]
    [InlineData("\"ISO-8859-1\"")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public async Task NonUtf8Charset_IsDecodedAsDeclared(string charset)
    {
        var encoding = Encoding.GetEncoding(charset.Trim('"'));
        var handler = new RecordingHandler(_ =>
        {
            var content = new ByteArrayContent(encoding.GetBytes(DataSourceJson));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=" + charset);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using var http = handler.Client();

        var source = await new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token);

        Assert.Equal("Données", source.Name);
        Assert.Equal(DataSourceStatus.Idle, source.Status);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=\"UTF-8\"")]
    [InlineData("application/json; charset = utf8 ; q=1")]
    public async Task Utf8Body_WithAByteOrderMarkOrAnyUtf8Charset_IsRead(string contentType)
    {
        var handler = new RecordingHandler(_ =>
        {
            var content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(DataSourceJson)]);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });
        using var http = handler.Client();

        var source = await new DataSourcesClient(http).GetDataSourceAsync("ds_1", cancellationToken: TestContext.Token);

        Assert.Equal("Données", source.Name);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task JsonNullBody_IsInvalidResponse(string operation)
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, "null"));
        using var http = handler.Client();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => Call(http, operation, "id-1"));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("null", error.ResponseBody);
    }

    [Fact]
    public async Task GetImport_ReturnsTheResourceNotTheDocument()
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, ImportJson));
        using var http = handler.Client();

        SubscriptionImport import = await new SubscriptionImportsClient(http).GetImportAsync("i1", TestContext.Token);

        Assert.Equal("i1", import.Id);
        Assert.Equal("subscription_import", import.Type);
        Assert.Equal(ImportStatus.Started, import.Status);
        Assert.Equal(4, import.Records.Imported.Subscriptions);

        // The document's own members (jsonapi here) belong to the document, not to the resource.
        Assert.False(import.AdditionalProperties.ContainsKey("jsonapi"));
        Assert.False(import.AdditionalProperties.ContainsKey("data"));
    }

    [Fact]
    public async Task Requests_AreGetsThatAskForJson()
    {
        var handler = new RecordingHandler(_ => Json(HttpStatusCode.OK, ImportJson));
        using var http = handler.Client();

        await new SubscriptionImportsClient(http).GetImportAsync("i1", TestContext.Token);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(["application/json"], request.Headers.GetValues("Accept"));
    }

    private static string BodyOf(string operation) => operation switch
    {
        "GetDataSource" => DataSourceJson,
        "GetImport" => ImportJson,
        _ => ErrorPageJson,
    };

    private static async Task Call(HttpClient http, string operation, string id)
    {
        switch (operation)
        {
            case "GetDataSource":
                await new DataSourcesClient(http).GetDataSourceAsync(id, cancellationToken: TestContext.Token);
                break;
            case "GetImport":
                await new SubscriptionImportsClient(http).GetImportAsync(id, TestContext.Token);
                break;
            default:
                await new SubscriptionImportsClient(http).ListImportErrorsAsync(id, cancellationToken: TestContext.Token);
                break;
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers in memory and keeps every request it was sent.</summary>
    private sealed class RecordingHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
    {
        private readonly List<HttpRequestMessage> _requests = [];

        public IReadOnlyList<HttpRequestMessage> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public HttpClient Client() => new(this) { BaseAddress = new Uri("https://api.example.test/") };

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_requests)
            {
                _requests.Add(request);
            }

            var response = respond(request);
            response.RequestMessage = request;
            return Task.FromResult(response);
        }
    }
}
