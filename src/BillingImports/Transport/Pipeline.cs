using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace BillingImports;

/// <summary>
/// Builds the handler chain for both APIs: telemetry outermost, then <see cref="TransientRetryHandler"/>
/// in place of Kiota's RetryHandler, applying the <see cref="ResponseBodyPolicy"/> to the answer of
/// each attempt and handing a redirect to Kiota's RedirectHandler (the one Kiota default handler
/// that acts on these calls, and only when they are redirected; see <see cref="RedirectFollower"/>),
/// whose every hop goes through the same policy, then auth next to the wire (Kiota's
/// AuthorizationHandler for Elastic Path) so every retry and redirect is authenticated afresh, and
/// innermost a guard that strips credentials from any request bound for another origin.
/// Every call returns new handler instances, as IHttpClientFactory requires.
/// </summary>
internal static class Pipeline
{
    internal const string LoggerCategory = "BillingImports.Transport";

    /// <summary>How long a connection serves requests before the next request opens a new one (IHttpClientFactory's default handler lifetime).</summary>
    internal static readonly TimeSpan ConnectionLifetime = TimeSpan.FromMinutes(2);

    /// <summary><c>BillingImports/&lt;version&gt;</c>, the SDK's product token in every <c>User-Agent</c>.</summary>
    internal static readonly string ProductToken = "BillingImports/" + SdkVersion.Value;

    public static List<DelegatingHandler> ChartMogulHandlers(ChartMogulClientOptions options, ClientServices services)
    {
        var credential = BasicCredential.Encode(options.ApiKey!);
        var handlers = Common(options, "chartmogul", services, SecretScrubber.ForChartMogul(options.ApiKey!, credential));
        var origin = new CredentialOrigin(options.EffectiveBaseAddress);
        handlers.Add(new ChartMogulBasicAuthenticationHandler(credential, origin));
        handlers.Add(new CredentialOriginHandler(origin));
        return handlers;
    }

    public static List<DelegatingHandler> ElasticPathHandlers(ElasticPathClientOptions options, ElasticPathAccessTokenProvider tokens, ClientServices services)
    {
        var handlers = Common(options, "elasticpath", services, tokens.Secrets, new TokenRejection(tokens));
        handlers.Add(new AuthorizationHandler(ElasticPathAuthentication.Provider(tokens)));
        handlers.Add(new CredentialOriginHandler(tokens.Origin, tokens));
        return handlers;
    }

    /// <summary>The token endpoint's chain: telemetry, retries and the body handler, no auth (the credentials travel in the form).</summary>
    public static List<DelegatingHandler> TokenHandlers(ElasticPathClientOptions options, SecretScrubber secrets, ClientServices services) =>
        [
            new TelemetryHandler("elasticpath-token", services.Time, services.Logger),
            new TransientRetryHandler(options.Retry, options.Timeout, services.Time, services.Logger, secrets, new ResponseBodyPolicy(options.MaxResponseBodySize, secrets, scrubSuccessBodies: false)),
        ];

    public static HttpClient CreateClient(BillingImportsClientOptions options, IList<DelegatingHandler> handlers)
    {
        HttpMessageHandler first = PrimaryHandler(options);
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = first;
            first = handlers[i];
        }

        var http = new HttpClient(first, disposeHandler: true);
        Configure(options, http);
        return http;
    }

    /// <summary>Settings a client's HttpClient needs, whoever creates it.</summary>
    public static void Configure(BillingImportsClientOptions options, HttpClient http)
    {
        http.BaseAddress = options.EffectiveBaseAddress;

        // Attempts are bounded by the retry handler's per-attempt timeout; HttpClient's own would
        // cut across retries and surface as a bare TaskCanceledException.
        http.Timeout = Timeout.InfiniteTimeSpan;

        // Set once, unparsed (the options validated it): a parsed value would be cloned into every
        // request, where the raw text is copied by reference.
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent(options));

        // The primary handler does not decompress (see PrimaryHandler), so the SDK asks for
        // compressed bodies itself, once, raw, and decodes what comes compressed (ContentCoding).
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Encoding", ContentCoding.AcceptEncoding);
    }

    /// <summary>The SDK's product token, then the application's own, if any.</summary>
    internal static string UserAgent(BillingImportsClientOptions options) =>
        string.IsNullOrWhiteSpace(options.UserAgent) ? ProductToken : ProductToken + " " + options.UserAgent.Trim();

    /// <summary>
    /// The innermost handler: a <see cref="SocketsHttpHandler"/> as Kiota's default one is (no
    /// redirects below the pipeline, several HTTP/2 connections allowed), with the options' connection
    /// limit, so a burst of calls or waits queues for a few connections instead of opening one each.
    /// It does not decompress: the platform's decompression adds its <c>Accept-Encoding</c> values to
    /// every request and wraps every answer in an async frame of its own, compressed or not, where
    /// the SDK sends one default header and decodes only what comes compressed
    /// (<see cref="ResponseBodyPolicy"/>). It keeps no cookies: neither API needs them, and a cookie is
    /// scoped to a host, not a port, so one the API set would follow a redirect to another origin the
    /// way credentials must not. Its connections are renewed after <see cref="ConnectionLifetime"/>,
    /// so a client that lives as long as the application follows the services' DNS changes (a
    /// region's hosts behind a load balancer) without being replaced.
    /// </summary>
    public static HttpMessageHandler PrimaryHandler(BillingImportsClientOptions options) => new SocketsHttpHandler
    {
        PooledConnectionLifetime = ConnectionLifetime,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        MaxConnectionsPerServer = options.MaxConnectionsPerServer,
    };

    private static List<DelegatingHandler> Common(BillingImportsClientOptions options, string api, ClientServices services, SecretScrubber secrets, TokenRejection? tokenRejection = null)
    {
        var logger = services.Logger;

        // Of KiotaClientFactory.CreateDefaultHandlers(), only the RedirectHandler acts on these calls,
        // and only on a redirect, which neither API sends in normal use: the retry handler hands it
        // the redirects (RedirectFollower), so it costs the other calls nothing. The others would
        // cost a handler frame (most of them an async state machine) on every call for nothing:
        // - RetryHandler: replaced by TransientRetryHandler (see there why);
        // - UriReplacementHandler: rewrites a URI only with a UriReplacementHandlerOption, which the
        //   SDK never sets;
        // - ParametersNameDecodingHandler: decodes escaped '$', '.', '-' and '~' in query names; the
        //   spec's query names (with_processing_status, page[offset], ...) hold none of them;
        // - UserAgentHandler: the same product token on every request, which the HttpClient now
        //   carries once in its default headers (Configure);
        // - HeadersInspectionHandler, BodyInspectionHandler: copy headers or bodies only for a
        //   request that carries their option, which no SDK request does.
        // The body policy has no handler of its own: the retry handler applies it to the answer of
        // each attempt, and the redirect handler to each redirect before it reads the body.
        var body = new ResponseBodyPolicy(options.MaxResponseBodySize, secrets);
        var retry = new TransientRetryHandler(options.Retry, options.Timeout, services.Time, logger, secrets, body, tokenRejection, new RedirectFollower(body));
        var handlers = new List<DelegatingHandler>
        {
            new TelemetryHandler(api, services.Time, logger),
            retry,
        };
        RateLimitHandler.Insert(handlers, retry, options, services);
        return handlers;
    }
}

/// <summary>The services a client's pipeline runs on: the clock and where it logs.</summary>
/// <param name="Time">The clock for backoff waits, per-attempt timeouts and token expiry.</param>
/// <param name="Logger">The transport's logger.</param>
internal readonly record struct ClientServices(TimeProvider Time, ILogger Logger)
{
    /// <summary>The client's shared request rate limiter (dependency injection); null when the pipeline makes its own.</summary>
    public RequestRateLimiter? RateLimiter { get; init; }

    public static ClientServices From(ILoggerFactory? loggerFactory, TimeProvider? timeProvider) =>
        new(timeProvider ?? TimeProvider.System, loggerFactory?.CreateLogger(Pipeline.LoggerCategory) ?? NullLogger.Instance);
}
