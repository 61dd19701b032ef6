using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BillingImports;

/// <summary>
/// Registers the SDK's clients with <see cref="IServiceCollection"/>: typed clients through
/// <c>IHttpClientFactory</c> with the same Kiota handler pipeline the standalone clients use, and
/// options validated at start-up.
/// </summary>
public static class BillingImportsServiceCollectionExtensions
{
    /// <summary>The name of the HttpClient the ChartMogul client uses.</summary>
    public const string ChartMogulHttpClientName = "BillingImports.ChartMogul";

    /// <summary>The name of the HttpClient the Elastic Path client uses.</summary>
    public const string ElasticPathHttpClientName = "BillingImports.ElasticPath";

    /// <summary>The name of the HttpClient the Elastic Path token exchange uses.</summary>
    public const string ElasticPathTokenHttpClientName = "BillingImports.ElasticPath.Token";

    /// <summary>Registers <see cref="IDataSourcesClient"/> for ChartMogul.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (at least <see cref="ChartMogulClientOptions.ApiKey"/>).</param>
    /// <returns>The HttpClient builder, for further configuration.</returns>
    public static IHttpClientBuilder AddChartMogulClient(this IServiceCollection services, Action<ChartMogulClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddChartMogulClient(builder => builder.Configure(configure));
    }

    /// <summary>Registers <see cref="IDataSourcesClient"/> for ChartMogul with options bound from configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">A section with <c>ApiKey</c>, <c>BaseAddress</c>, <c>Timeout</c>, <c>Retry</c>, ...</param>
    /// <returns>The HttpClient builder, for further configuration.</returns>
    public static IHttpClientBuilder AddChartMogulClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The configuration-binding source generator compiles this Bind: no reflection, so it works
        // trimmed and as native AOT.
        return services.AddChartMogulClient(builder => builder.Bind(configuration));
    }

    /// <summary>Registers <see cref="ISubscriptionImportsClient"/> for Elastic Path.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (at least the client id and secret).</param>
    /// <returns>The HttpClient builder, for further configuration.</returns>
    public static IHttpClientBuilder AddElasticPathClient(this IServiceCollection services, Action<ElasticPathClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddElasticPathClient(builder => builder.Configure(configure));
    }

    /// <summary>Registers <see cref="ISubscriptionImportsClient"/> for Elastic Path with options bound from configuration.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">A section with <c>ClientId</c>, <c>ClientSecret</c>, <c>Region</c>, ...</param>
    /// <returns>The HttpClient builder, for further configuration.</returns>
    public static IHttpClientBuilder AddElasticPathClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The configuration-binding source generator compiles this Bind: no reflection, so it works
        // trimmed and as native AOT.
        return services.AddElasticPathClient(builder => builder.Bind(configuration));
    }

    private static IHttpClientBuilder AddChartMogulClient(this IServiceCollection services, Action<OptionsBuilder<ChartMogulClientOptions>> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        options(services.AddOptions<ChartMogulClientOptions>().ValidateOnStart());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChartMogulClientOptions>, OptionsValidator<ChartMogulClientOptions>>());
        services.TryAddSingleton(SharedRateLimiter<ChartMogulClientOptions>.Create);
        return services.AddHttpClient<IDataSourcesClient, DataSourcesClient>(ChartMogulHttpClientName)
            .WithPipeline<ChartMogulClientOptions>((settings, _, services) => Pipeline.ChartMogulHandlers(settings, services));
    }

    private static IHttpClientBuilder AddElasticPathClient(this IServiceCollection services, Action<OptionsBuilder<ElasticPathClientOptions>> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        options(services.AddOptions<ElasticPathClientOptions>().ValidateOnStart());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ElasticPathClientOptions>, OptionsValidator<ElasticPathClientOptions>>());
        services.TryAddSingleton(SharedRateLimiter<ElasticPathClientOptions>.Create);

        services.AddHttpClient(ElasticPathTokenHttpClientName)
            .WithPipeline<ElasticPathClientOptions>((settings, provider, services) =>
                Pipeline.TokenHandlers(settings, provider.GetRequiredService<ElasticPathAccessTokenProvider>().Secrets, services));

        // One token cache for the whole container: every pipeline IHttpClientFactory builds shares it.
        services.TryAddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ElasticPathClientOptions>>().Value;
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            return new ElasticPathAccessTokenProvider(settings, () => factory.CreateClient(ElasticPathTokenHttpClientName), Services(provider));
        });

        return services.AddHttpClient<ISubscriptionImportsClient, SubscriptionImportsClient>(ElasticPathHttpClientName)
            .WithPipeline<ElasticPathClientOptions>((settings, provider, services) =>
                Pipeline.ElasticPathHandlers(settings, provider.GetRequiredService<ElasticPathAccessTokenProvider>(), services));
    }

    /// <summary>The SDK's pipeline on a factory client: Kiota's primary handler, the options' address and headers, and the given handlers, made afresh for every pipeline.</summary>
    private static IHttpClientBuilder WithPipeline<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this IHttpClientBuilder builder,
        Func<TOptions, IServiceProvider, ClientServices, IEnumerable<DelegatingHandler>> handlers)
        where TOptions : BillingImportsClientOptions
    {
        return builder
            // One pipeline for the container's lifetime: the factory's default replaces it every 2
            // minutes, and the replaced one's connections stay open beside the new one's, so a client
            // could hold twice MaxConnectionsPerServer (40 against ChartMogul's ceiling of 20). The
            // primary handler renews its own connections for DNS changes (PooledConnectionLifetime),
            // which is what the replacement was for; an application's own SetHandlerLifetime still wins.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

            // The standalone clients' innermost handler. The factory's default follows redirects itself,
            // below the pipeline, so a redirect would skip Kiota's RedirectHandler and the auth handlers:
            // the redirected call would go out without credentials even to the same host, and unlogged.
            .ConfigurePrimaryHttpMessageHandler(provider => Pipeline.PrimaryHandler(provider.GetRequiredService<IOptions<TOptions>>().Value))
            .ConfigureHttpClient((provider, http) => Pipeline.Configure(provider.GetRequiredService<IOptions<TOptions>>().Value, http))
            .ConfigureAdditionalHttpMessageHandlers((list, provider) =>
            {
                var settings = provider.GetRequiredService<IOptions<TOptions>>().Value;

                // One limiter per registered client, whichever of the factory's pipelines a request takes.
                var services = Services(provider) with { RateLimiter = provider.GetRequiredService<SharedRateLimiter<TOptions>>().Limiter };
                foreach (var handler in handlers(settings, provider, services))
                {
                    list.Add(handler);
                }
            });
    }

    /// <summary>The clock and logger factory registered in the container, if any.</summary>
    private static ClientServices Services(IServiceProvider provider) =>
        ClientServices.From(provider.GetService<ILoggerFactory>(), provider.GetService<TimeProvider>());

    /// <summary>Reports every problem of the options at once, in the words the standalone clients use.</summary>
    private sealed class OptionsValidator<TOptions> : IValidateOptions<TOptions>
        where TOptions : BillingImportsClientOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = options.Validate().ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(problem => $"{typeof(TOptions).Name}: {problem}"));
        }
    }
}
