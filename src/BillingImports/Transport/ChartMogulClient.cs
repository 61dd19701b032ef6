using Microsoft.Extensions.Logging;

namespace BillingImports;

/// <summary>
/// The ChartMogul API over the SDK's HTTP pipeline (Kiota handlers, Basic auth, retries,
/// telemetry). Create one per API key and reuse it; it is safe for concurrent use.
/// </summary>
/// <example>
/// <code>
/// using var chartMogul = new ChartMogulClient(apiKey);
/// var source = await chartMogul.DataSources.GetDataSourceAsync("ds_...");
/// </code>
/// </example>
public sealed class ChartMogulClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates a client for the production API with default options.</summary>
    /// <param name="apiKey">The ChartMogul API key.</param>
    public ChartMogulClient(string apiKey)
        : this(new ChartMogulClientOptions { ApiKey = apiKey })
    {
    }

    /// <summary>Creates a client with the given options, logging nothing, on the system clock.</summary>
    /// <param name="options">Credentials, address, timeouts, retries; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ChartMogulClient(ChartMogulClientOptions options)
        : this(options, null, null)
    {
    }

    /// <summary>Creates a client with the given options, logger factory and clock.</summary>
    /// <param name="options">Credentials, address, timeouts, retries; validated here.</param>
    /// <param name="loggerFactory">Where the transport logs; null logs nothing. Credentials are never logged.</param>
    /// <param name="timeProvider">The clock for backoff waits and timeouts; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ChartMogulClient(ChartMogulClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _http = Pipeline.CreateClient(options, Pipeline.ChartMogulHandlers(options, ClientServices.From(loggerFactory, timeProvider)));
        DataSources = new DataSourcesClient(_http);
    }

    /// <summary>ChartMogul data sources.</summary>
    public IDataSourcesClient DataSources { get; }

    /// <summary>Releases the HTTP pipeline.</summary>
    public void Dispose() => _http.Dispose();
}
