using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BillingImports.Benchmarks.Support;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace BillingImports.Benchmarks;

/// <summary>
/// The SDK's own CPU per call with no network: the generated client over an in-memory primary
/// handler that answers as the loopback server does, without the pipeline and with it, step by
/// step from the wire outwards. Over loopback the round trip's noise hides differences of a few
/// hundred nanoseconds; here they are what is measured. The base address is a loopback one, as in
/// the other comparisons, so no request rate limit applies (on the services' own hosts the
/// documented rate would pace the calls).
/// </summary>
/// <remarks>
/// In memory, the first handler to read the request's host pays for the address's IDN form, which
/// over a socket the connection pool pays anyway: the credential-origin step shows about 100 B and a
/// few dozen nanoseconds here that it does not cost over loopback (see <c>breakdown</c>).
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PipelineOverheadBenchmarks
{
    private static readonly Uri Loopback = new("http://127.0.0.1:5000/");

    private readonly List<IDisposable> _owned = [];
    private DataSourcesClient _dataSourceBare = null!;
    private DataSourcesClient _dataSourceAuth = null!;
    private DataSourcesClient _dataSourceRetry = null!;
    private DataSourcesClient _dataSourceFull = null!;
    private SubscriptionImportsClient _importBare = null!;
    private SubscriptionImportsClient _importAuth = null!;
    private SubscriptionImportsClient _importRetry = null!;
    private SubscriptionImportsClient _importFull = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = ClientServices.From(null, null);
        var chartMogul = new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = Loopback };
        _dataSourceBare = new DataSourcesClient(Client(chartMogul, []));
        _dataSourceAuth = new DataSourcesClient(Client(chartMogul, [.. Pipeline.ChartMogulHandlers(chartMogul, services).Where(h => h is ChartMogulBasicAuthenticationHandler or CredentialOriginHandler)]));
        _dataSourceRetry = new DataSourcesClient(Client(chartMogul, [.. Pipeline.ChartMogulHandlers(chartMogul, services).Where(h => h is not TelemetryHandler)]));
        _dataSourceFull = new DataSourcesClient(Client(chartMogul, Pipeline.ChartMogulHandlers(chartMogul, services)));

        var elasticPath = new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = Loopback };
        HttpClient? tokenHttp = null;
        var tokens = new ElasticPathAccessTokenProvider(elasticPath, () => tokenHttp!, services);
        _owned.Add(tokens);
        tokenHttp = Client(elasticPath, Pipeline.TokenHandlers(elasticPath, tokens.Secrets, services));
        _importBare = new SubscriptionImportsClient(Client(elasticPath, [new PipelineBreakdown.FixedBearer()]));
        _importAuth = new SubscriptionImportsClient(Client(elasticPath, [.. Pipeline.ElasticPathHandlers(elasticPath, tokens, services).Where(h => h is AuthorizationHandler or CredentialOriginHandler)]));
        _importRetry = new SubscriptionImportsClient(Client(elasticPath, [.. Pipeline.ElasticPathHandlers(elasticPath, tokens, services).Where(h => h is not TelemetryHandler)]));
        _importFull = new SubscriptionImportsClient(Client(elasticPath, Pipeline.ElasticPathHandlers(elasticPath, tokens, services)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourceGeneratedClientOnly() => _dataSourceBare.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourcePlusBasicAuthAndCredentialOrigin() => _dataSourceAuth.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourcePlusRetriesAttemptTimeoutAndBodyRead() => _dataSourceRetry.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourcePlusTelemetryNobodyListeningTheSdk() => _dataSourceFull.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportGeneratedClientOnlyBearerByHand() => _importBare.GetImportAsync(Payloads.ImportId);

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportKiotaAuthorizationHandlerAndCredentialOrigin() => _importAuth.GetImportAsync(Payloads.ImportId);

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportPlusRetriesAttemptTimeoutBodyReadTokenRejection() => _importRetry.GetImportAsync(Payloads.ImportId);

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportPlusTelemetryNobodyListeningTheSdk() => _importFull.GetImportAsync(Payloads.ImportId);

    private HttpClient Client(BillingImportsClientOptions options, List<DelegatingHandler> handlers)
    {
        HttpMessageHandler first = new InMemoryAnswer();
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = first;
            first = handlers[i];
        }

        var http = new HttpClient(first);
        Pipeline.Configure(options, http);
        _owned.Add(http);
        return http;
    }

    /// <summary>The loopback server's answers, made in memory as the connection would make them: a stream body with its length.</summary>
    private sealed class InMemoryAnswer : HttpMessageHandler
    {
        private static readonly byte[] Token = Encoding.UTF8.GetBytes($$"""{"access_token":"{{Payloads.AccessToken}}","token_type":"Bearer","expires_in":3600}""");

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = path.StartsWith("/v1/", StringComparison.Ordinal) ? Payloads.DataSource
                : path.StartsWith("/oauth/", StringComparison.Ordinal) ? Token
                : Payloads.SmallImport;
            var content = new StreamContent(new MemoryStream(body, writable: false));
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            content.Headers.TryAddWithoutValidation("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
