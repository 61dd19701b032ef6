using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using BillingImports.Benchmarks.Floor;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// One call over loopback. The floor is a raw HttpClient reading the body with source-generated
/// System.Text.Json metadata into equivalent types; the SDK is the full client a consumer creates
/// (Kiota handler pipeline, auth, retry, telemetry, typed errors); the generated client over a plain
/// HttpClient isolates the generated code from the pipeline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PerCallBenchmarks
{
    private LoopbackServer _server = null!;
    private HttpClient _raw = null!;
    private ChartMogulClient _chartMogul = null!;
    private ElasticPathClient _elasticPath = null!;
    private DataSourcesClient _generatedDataSources = null!;
    private SubscriptionImportsClient _generatedImports = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        _raw = new HttpClient { BaseAddress = _server.BaseAddress };
        _chartMogul = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-key", BaseAddress = _server.BaseAddress });
        _elasticPath = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret", BaseAddress = _server.BaseAddress });
        _generatedDataSources = new DataSourcesClient(_raw);
        _generatedImports = new SubscriptionImportsClient(_raw);

        // Fetch the token and warm every path once, outside the measurement.
        await _elasticPath.SubscriptionImports.GetImportAsync(Payloads.ImportId).ConfigureAwait(false);
        await _chartMogul.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid).ConfigureAwait(false);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _chartMogul.Dispose();
        _elasticPath.Dispose();
        _raw.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("data-source")]
    public Task<FloorDataSource?> DataSourceFloor() =>
        _raw.GetFromJsonAsync("v1/data_sources/" + Payloads.DataSourceUuid, FloorJsonContext.Default.FloorDataSource);

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourceSdk() => _chartMogul.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task<DataSource> DataSourceGeneratedOnly() => _generatedDataSources.GetDataSourceAsync(Payloads.DataSourceUuid);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("import")]
    public Task<FloorImportDocument?> ImportFloor() =>
        _raw.GetFromJsonAsync("v2/subscriptions/imports/" + Payloads.ImportId, FloorJsonContext.Default.FloorImportDocument);

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportSdk() => _elasticPath.SubscriptionImports.GetImportAsync(Payloads.ImportId);

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task<SubscriptionImport> ImportGeneratedOnly() => _generatedImports.GetImportAsync(Payloads.ImportId);
}
