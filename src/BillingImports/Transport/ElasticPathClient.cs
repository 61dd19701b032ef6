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

    /// <summary>Creates a client for a region with default options.</summary>
    /// <param name="clientId">The OAuth2 client id.</param>
    /// <param name="clientSecret">The OAuth2 client secret.</param>
    /// <param name="region">The store's region.</param>
    public ElasticPathClient(string clientId, string clientSecret, ElasticPathRegion region = ElasticPathRegion.UsEast)
        : this(new ElasticPathClientOptions { ClientId = clientId, ClientSecret = clientSecret, Region = region })
    {
    }

    /// <summary>Creates a client with the given options.</summary>
    /// <param name="options">Credentials, region or address, timeouts, retries; validated here.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ElasticPathClient(ElasticPathClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        // The token pipeline scrubs the provider's secrets, so the provider comes first; it asks for
        // the HttpClient only at its first exchange, after the next line has set it.
        _tokens = new ElasticPathAccessTokenProvider(options, () => _tokenHttp!, Pipeline.Logger(options, null));
        _tokenHttp = Pipeline.CreateClient(options, Pipeline.TokenHandlers(options, _tokens.Secrets, null));
        _http = Pipeline.CreateClient(options, Pipeline.ElasticPathHandlers(options, _tokens, null));
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
