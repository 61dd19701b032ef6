using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using BillingImports.Benchmarks.Floor;
using BillingImports.Benchmarks.Peers;
using Microsoft.Extensions.Logging;

namespace BillingImports.Benchmarks.Support;

/// <summary>
/// Every client the comparisons measure, over one loopback server: the floor (raw HttpClient and
/// source-generated System.Text.Json), NSwag's default output and Refit (the peers a team would pick
/// instead), and the SDK as a consumer creates it: full pipeline, auth, retries, telemetry, typed
/// errors, the body cap and secret scrubbing.
/// </summary>
public sealed class Contenders : IDisposable
{
    public const string Floor = "floor";
    public const string NSwag = "NSwag default";
    public const string Refit = "Refit";
    public const string Sdk = "SDK";
    public const string SdkListened = "SDK, telemetry listened";
    public const string SdkGeneratedOnly = "SDK's generated client, plain HttpClient";
    public const string FloorDefaultConnections = "floor held to the SDK's 20 connections";
    public const string SdkUnlimited = "SDK, MaxConnectionsPerServer = 1000";
    public const string SdkTenConnections = "SDK, MaxConnectionsPerServer = 10";

    private readonly HttpClient _floorHttp;
    private readonly HttpClient _floorDefaultConnectionsHttp;
    private readonly ChartMogulClient _chartMogulUnlimited;
    private readonly ElasticPathClient _elasticPathUnlimited;
    private readonly ChartMogulClient _chartMogulTen;
    private readonly ElasticPathClient _elasticPathTen;
    private readonly HttpClient _nswagHttp;
    private readonly HttpClient _refitHttp;
    private readonly NSwagDefault.Client _nswag;
    private readonly IRefitBillingApi _refit;
    private readonly ChartMogulClient _chartMogul;
    private readonly DataSourcesClient _generatedDataSources;
    private readonly SubscriptionImportsClient _generatedImports;
    private readonly ElasticPathClient _elasticPath;
    private readonly ChartMogulClient _chartMogulLogged;
    private readonly ElasticPathClient _elasticPathLogged;
    private readonly ILoggerFactory _loggers = LoggerFactory.Create(builder => builder.AddProvider(new DiscardingLoggerProvider()).SetMinimumLevel(LogLevel.Trace));

    public Contenders(Uri baseAddress)
    {
        // Each peer gets its own HttpClient as its users would, with the defaults they would keep.
        _floorHttp = new HttpClient { BaseAddress = baseAddress };
        _nswagHttp = new HttpClient();
        _floorDefaultConnectionsHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = BillingImportsClientOptions.DefaultMaxConnectionsPerServer }) { BaseAddress = baseAddress };
        _chartMogulUnlimited = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = baseAddress, MaxConnectionsPerServer = 1000 });
        _elasticPathUnlimited = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = baseAddress, MaxConnectionsPerServer = 1000 });
        _chartMogulTen = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = baseAddress, MaxConnectionsPerServer = 10 });
        _elasticPathTen = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = baseAddress, MaxConnectionsPerServer = 10 });
        _refitHttp = new HttpClient { BaseAddress = baseAddress };
        _nswag = new NSwagDefault.Client(_nswagHttp) { BaseUrl = baseAddress.ToString() };
        _refit = RefitPeer.Create(_refitHttp);

        // The SDK's generated clients over the floor's HttpClient: the generated code without the pipeline.
        _generatedDataSources = new DataSourcesClient(_floorHttp);
        _generatedImports = new SubscriptionImportsClient(_floorHttp);
        _chartMogul = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = baseAddress });
        _elasticPath = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = baseAddress });

        // The same clients with a logger that formats every event, for the telemetry-on figures.
        _chartMogulLogged = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = baseAddress }, _loggers, null);
        _elasticPathLogged = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = baseAddress }, _loggers, null);
    }

    /// <summary>One call of each contender on an endpoint, by name.</summary>
    /// <summary>
    /// The load comparison's field: the per-call one without the telemetry-on run, plus the floor
    /// held to the SDK's default connection limit, the SDK with the floor's (unbounded in effect),
    /// and the SDK with half its default (10, the default in 1.0.0).
    /// </summary>
    public IReadOnlyList<Contender> UnderLoad(string endpoint) =>
    [
        .. For(endpoint, withTelemetry: false),
        endpoint == "data-source"
            ? new(FloorDefaultConnections, () => _floorDefaultConnectionsHttp.GetFromJsonAsync("v1/data_sources/" + Payloads.DataSourceUuid, FloorJsonContext.Default.FloorDataSource))
            : new(FloorDefaultConnections, () => _floorDefaultConnectionsHttp.GetFromJsonAsync("v2/subscriptions/imports/" + Payloads.ImportId, FloorJsonContext.Default.FloorImportDocument)),
        endpoint == "data-source"
            ? new(SdkUnlimited, () => _chartMogulUnlimited.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid))
            : new(SdkUnlimited, () => _elasticPathUnlimited.SubscriptionImports.GetImportAsync(Payloads.ImportId)),
        endpoint == "data-source"
            ? new(SdkTenConnections, () => _chartMogulTen.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid))
            : new(SdkTenConnections, () => _elasticPathTen.SubscriptionImports.GetImportAsync(Payloads.ImportId)),
    ];

    public IReadOnlyList<Contender> For(string endpoint, bool withTelemetry = true) => endpoint switch
    {
        "data-source" =>
        [
            new(Floor, () => _floorHttp.GetFromJsonAsync("v1/data_sources/" + Payloads.DataSourceUuid, FloorJsonContext.Default.FloorDataSource)),
            new(NSwag, () => _nswag.GetDataSourceAsync(Payloads.DataSourceUuid, null, null, null, CancellationToken.None)),
            new(Refit, () => _refit.GetDataSourceAsync(Payloads.DataSourceUuid)),
            new(Sdk, () => _chartMogul.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid)),
            new(SdkGeneratedOnly, () => _generatedDataSources.GetDataSourceAsync(Payloads.DataSourceUuid)),
            .. withTelemetry ? [new Contender(SdkListened, () => _chartMogulLogged.DataSources.GetDataSourceAsync(Payloads.DataSourceUuid), TelemetryListeners.Start)] : Array.Empty<Contender>(),
        ],
        "import" =>
        [
            new(Floor, () => _floorHttp.GetFromJsonAsync("v2/subscriptions/imports/" + Payloads.ImportId, FloorJsonContext.Default.FloorImportDocument)),
            new(NSwag, () => _nswag.GetImportAsync(Payloads.ImportId, CancellationToken.None)),
            new(Refit, () => _refit.GetImportAsync(Payloads.ImportId)),
            new(Sdk, () => _elasticPath.SubscriptionImports.GetImportAsync(Payloads.ImportId)),
            new(SdkGeneratedOnly, () => _generatedImports.GetImportAsync(Payloads.ImportId)),
            .. withTelemetry ? [new Contender(SdkListened, () => _elasticPathLogged.SubscriptionImports.GetImportAsync(Payloads.ImportId), TelemetryListeners.Start)] : Array.Empty<Contender>(),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "data-source or import"),
    };

    public static readonly string[] Endpoints = ["data-source", "import"];

    /// <summary>Calls every contender a few times: the token, the connections and the JIT, outside any measurement.</summary>
    public async Task WarmUpAsync(int calls)
    {
        foreach (var endpoint in Endpoints)
        {
            foreach (var contender in For(endpoint))
            {
                using var around = contender.Around?.Invoke();
                for (var i = 0; i < calls; i++)
                {
                    await contender.Call().ConfigureAwait(false);
                }
            }
        }
    }

    public void Dispose()
    {
        _chartMogul.Dispose();
        _elasticPath.Dispose();
        _chartMogulLogged.Dispose();
        _elasticPathLogged.Dispose();
        _loggers.Dispose();
        _floorHttp.Dispose();
        _floorDefaultConnectionsHttp.Dispose();
        _chartMogulTen.Dispose();
        _elasticPathTen.Dispose();
        _chartMogulUnlimited.Dispose();
        _elasticPathUnlimited.Dispose();
        _nswagHttp.Dispose();
        _refitHttp.Dispose();
    }

    /// <summary>Formats every message and keeps none: the cost of a logger that listens.</summary>
    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new DiscardingLogger();

        public void Dispose()
        {
        }

        private sealed class DiscardingLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                GC.KeepAlive(formatter(state, exception));
        }
    }
}

/// <summary>A client's call, and what runs around a batch of them (listeners for the telemetry-on runs).</summary>
public sealed record Contender(string Name, Func<Task> Call, Func<IDisposable>? Around = null);

/// <summary>An activity listener that records every SDK span and a meter listener that takes every SDK measurement, as an OpenTelemetry SDK would.</summary>
public sealed class TelemetryListeners : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private long _spans;
    private long _measurements;

    private TelemetryListeners()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == BillingImportsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == BillingImportsTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    public long Spans => Interlocked.Read(ref _spans);

    public long Measurements => Interlocked.Read(ref _measurements);

    public static IDisposable Start() => new TelemetryListeners();

    public static TelemetryListeners Listen() => new();

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
