using BenchmarkDotNet.Attributes;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// One call over loopback, as BenchmarkDotNet rows: the floor (raw HttpClient, source-generated
/// System.Text.Json), NSwag's default output and Refit (the peers), and the SDK as a consumer creates
/// it (full pipeline). The server runs in its own process. On a shared machine the rows' spread is
/// wider than the gaps; <c>paired</c> (see Program.cs) gives the interleaved ratios that hold.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PerCallBenchmarks
{
    private LoopbackServer _server = null!;
    private Contenders _contenders = null!;
    private Func<Task> _dataSourceFloor = null!;
    private Func<Task> _dataSourceNSwag = null!;
    private Func<Task> _dataSourceRefit = null!;
    private Func<Task> _dataSourceSdk = null!;
    private Func<Task> _importFloor = null!;
    private Func<Task> _importNSwag = null!;
    private Func<Task> _importRefit = null!;
    private Func<Task> _importSdk = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        _contenders = new Contenders(_server.BaseAddress);
        await _contenders.WarmUpAsync(100).ConfigureAwait(false);
        var dataSource = _contenders.For("data-source", withTelemetry: false).ToDictionary(c => c.Name, c => c.Call);
        var import = _contenders.For("import", withTelemetry: false).ToDictionary(c => c.Name, c => c.Call);
        (_dataSourceFloor, _dataSourceNSwag, _dataSourceRefit, _dataSourceSdk) = (dataSource[Contenders.Floor], dataSource[Contenders.NSwag], dataSource[Contenders.Refit], dataSource[Contenders.Sdk]);
        (_importFloor, _importNSwag, _importRefit, _importSdk) = (import[Contenders.Floor], import[Contenders.NSwag], import[Contenders.Refit], import[Contenders.Sdk]);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _contenders.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("data-source")]
    public Task DataSourceFloor() => _dataSourceFloor();

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task DataSourceNSwagDefault() => _dataSourceNSwag();

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task DataSourceRefit() => _dataSourceRefit();

    [Benchmark]
    [BenchmarkCategory("data-source")]
    public Task DataSourceSdk() => _dataSourceSdk();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("import")]
    public Task ImportFloor() => _importFloor();

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task ImportNSwagDefault() => _importNSwag();

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task ImportRefit() => _importRefit();

    [Benchmark]
    [BenchmarkCategory("import")]
    public Task ImportSdk() => _importSdk();
}

/// <summary>
/// The SDK's call with nobody listening and with an activity listener, a meter listener and a
/// logger that formats every event, side by side: what telemetry costs each way.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private LoopbackServer _server = null!;
    private Contenders _contenders = null!;
    private IDisposable? _listeners;
    private Func<Task> _call = null!;

    [Params(false, true)]
    public bool Listened { get; set; }

    [Params("data-source", "import")]
    public string Endpoint { get; set; } = "data-source";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        _contenders = new Contenders(_server.BaseAddress);
        await _contenders.WarmUpAsync(100).ConfigureAwait(false);
        var field = _contenders.For(Endpoint);
        _call = field.Single(c => c.Name == (Listened ? Contenders.SdkListened : Contenders.Sdk)).Call;
        _listeners = Listened ? TelemetryListeners.Start() : null;
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _listeners?.Dispose();
        _contenders.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    [Benchmark]
    public Task Call() => _call();
}
