using Microsoft.Extensions.Logging;

namespace BillingImports;

/// <summary>
/// The Elastic Path Subscriptions API over the SDK's HTTP pipeline (Kiota handlers, OAuth2 client
/// credentials with a cached token, retries, telemetry). Create one per store and reuse it; it is
/// safe for concurrent use.
/// </summary>
public sealed class ElasticPathClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpClient _tokenHttp;
    private readonly ElasticPathAccessTokenProvider _tokens;

    /// <summary>Creates a client for the <see cref="ElasticPathRegion.UsEast"/> region with default options.</summary>
    /// <param name="clientId">The OAuth2 client id.</param>
    /// <param name="clientSecret">The OAuth2 client secret.</param>
    public ElasticPathClient(string clientId, string clientSecret)
        : this(clientId, clientSecret, ElasticPathRegion.UsEast)
    {
    }

    /// <summary>Creates a client for a region with default options.</summary>
    /// <param name="clientId">The OAuth2 client id.</param>
    /// <param name="clientSecret">The OAuth2 client secret.</param>
    /// <param name="region">The store's region.</param>
    public ElasticPathClient(string clientId, string clientSecret, ElasticPathRegion region)
        : this(new ElasticPathClientOptions { ClientId = clientId, ClientSecret = clientSecret, Region = region })
    {
    }

    /// <summary>Creates a client with the given options, logging nothing, on the system clock.</summary>
    /// <param name="options">Credentials, address, timeouts, retries; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ElasticPathClient(ElasticPathClientOptions options)
        : this(options, null, null)
    {
    }

    /// <summary>Creates a client with the given options, logger factory and clock.</summary>
    /// <param name="options">Credentials, region or address, timeouts, retries; validated here.</param>
    /// <param name="loggerFactory">Where the transport logs; null logs nothing. Credentials and tokens are never logged.</param>
    /// <param name="timeProvider">The clock for backoff waits, timeouts and token expiry; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ElasticPathClient(ElasticPathClientOptions options, ILoggerFactory? loggerFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var services = ClientServices.From(loggerFactory, timeProvider);

        // The token pipeline scrubs the provider's secrets, so the provider comes first; it asks for
        // the HttpClient only at its first exchange, after the next line has set it.
        _tokens = new ElasticPathAccessTokenProvider(options, () => _tokenHttp!, services);
        _tokenHttp = Pipeline.CreateClient(options, Pipeline.TokenHandlers(options, _tokens.Secrets, services));
        _http = Pipeline.CreateClient(options, Pipeline.ElasticPathHandlers(options, _tokens, services));
        SubscriptionImports = new SubscriptionImportsClient(_http);
    }

    /// <summary>Subscriptions import jobs.</summary>
    public ISubscriptionImportsClient SubscriptionImports { get; }

    /// <summary>Releases the HTTP pipelines.</summary>
    public void Dispose()
    {
        _http.Dispose();
        _tokenHttp.Dispose();
        _tokens.Dispose();
    }
}
