using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace BillingImports;

/// <summary>
/// Builds the handler chain for both APIs from Kiota's defaults: telemetry outermost, then Kiota's
/// handlers with its RetryHandler replaced by <see cref="TransientRetryHandler"/> and
/// <see cref="ResponseBodyHandler"/> right inside its RedirectHandler, then auth next to the wire so
/// every retry and redirect is authenticated afresh, and innermost a guard that strips credentials
/// from any request bound for another origin.
/// Every call returns new handler instances, as IHttpClientFactory requires.
/// </summary>
internal static class Pipeline
{
    internal const string LoggerCategory = "BillingImports.Transport";

    private static readonly string Version =
        typeof(Pipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public static List<DelegatingHandler> ChartMogulHandlers(ChartMogulClientOptions options, ClientServices services)
    {
        var handlers = Common(options, "chartmogul", services, SecretScrubber.ForChartMogul(options.ApiKey!));
        var origin = new CredentialOrigin(options.EffectiveBaseAddress);
        handlers.Add(new ChartMogulBasicAuthenticationHandler(options.ApiKey!, origin));
        handlers.Add(new CredentialOriginHandler(origin));
        return handlers;
    }

    public static List<DelegatingHandler> ElasticPathHandlers(ElasticPathClientOptions options, ElasticPathAccessTokenProvider tokens, ClientServices services)
    {
        var handlers = Common(options, "elasticpath", services, tokens.Secrets);
        handlers.Add(new TokenRejectedHandler(tokens));
        handlers.Add(new AuthorizationHandler(ElasticPathAuthentication.Provider(tokens)));
        handlers.Add(new CredentialOriginHandler(tokens.Origin));
        return handlers;
    }

    /// <summary>The token endpoint's chain: telemetry, retries and the body handler, no auth (the credentials travel in the form).</summary>
    public static List<DelegatingHandler> TokenHandlers(ElasticPathClientOptions options, SecretScrubber secrets, ClientServices services) =>
        [
            new TelemetryHandler("elasticpath-token", services.Time, services.Logger),
            new TransientRetryHandler(options.Retry, options.Timeout, services.Time, services.Logger, secrets),
            new ResponseBodyHandler(options.MaxResponseBodySize, secrets, scrubSuccessBodies: false),
        ];

    public static HttpClient CreateClient(BillingImportsClientOptions options, IList<DelegatingHandler> handlers)
    {
        var first = KiotaClientFactory.ChainHandlersCollectionAndGetFirstLink(PrimaryHandler(options), [.. handlers])!;
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
        if (!string.IsNullOrWhiteSpace(options.UserAgent))
        {
            http.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        }
    }

    /// <summary>
    /// The innermost handler: Kiota's default (SocketsHttpHandler, automatic decompression, no
    /// redirects below the pipeline) with the options' connection limit, so a burst of calls or waits
    /// queues for a few connections instead of opening one each.
    /// </summary>
    public static HttpMessageHandler PrimaryHandler(BillingImportsClientOptions options)
    {
        var handler = KiotaClientFactory.GetDefaultHttpMessageHandler();
        if (handler is SocketsHttpHandler sockets)
        {
            sockets.MaxConnectionsPerServer = options.MaxConnectionsPerServer;
        }

        return handler;
    }

    private static List<DelegatingHandler> Common(BillingImportsClientOptions options, string api, ClientServices services, SecretScrubber secrets)
    {
        var logger = services.Logger;
        var handlers = KiotaClientFactory.CreateDefaultHandlers([new UserAgentHandlerOption { ProductName = "BillingImports", ProductVersion = Version }]).ToList();
        var retry = handlers.FindIndex(handler => handler is RetryHandler);
        var ours = new TransientRetryHandler(options.Retry, options.Timeout, services.Time, logger, secrets);
        if (retry >= 0)
        {
            handlers[retry] = ours;
        }
        else
        {
            handlers.Insert(0, ours);
        }

        // Right inside the redirect handler: every hop's body is bounded, and a redirect's is dropped
        // before the redirect handler would read it.
        var redirect = handlers.FindIndex(handler => handler is RedirectHandler);
        handlers.Insert(redirect >= 0 ? redirect + 1 : handlers.IndexOf(ours) + 1, new ResponseBodyHandler(options.MaxResponseBodySize, secrets));
        RateLimitHandler.Insert(handlers, ours, options, services);
        handlers.Insert(0, new TelemetryHandler(api, services.Time, logger));
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
