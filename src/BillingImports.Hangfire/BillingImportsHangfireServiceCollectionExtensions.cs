using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BillingImports.Hangfire;

/// <summary>Registers waits that run as Hangfire jobs.</summary>
public static class BillingImportsHangfireServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WaitScheduler"/>, the wait jobs and the handler of their completions.
    /// Hangfire itself (<c>AddHangfire</c>, <c>AddHangfireServer</c>) and the SDK's clients
    /// (<c>AddElasticPathClient</c>, <c>AddChartMogulClient</c>) are registered as usual, on
    /// every server that runs the jobs.
    /// </summary>
    /// <typeparam name="THandler">Told once when each wait ends.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddBillingImportsHangfire<THandler>(this IServiceCollection services)
        where THandler : class, IWaitCompletionHandler =>
        services.AddBillingImportsHangfire<THandler>(configure: null);

    /// <summary>
    /// Registers <see cref="WaitScheduler"/>, the wait jobs and the handler of their completions,
    /// with the polling options set by <paramref name="configure"/>.
    /// </summary>
    /// <typeparam name="THandler">Told once when each wait ends.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets how waits poll; null for the defaults.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddBillingImportsHangfire<THandler>(this IServiceCollection services, Action<BillingImportsHangfireOptions>? configure)
        where THandler : class, IWaitCompletionHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BillingImportsHangfireOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddTransient<IWaitCompletionHandler, THandler>();
        return AddJobs(services);
    }

    /// <summary>
    /// Registers <see cref="WaitScheduler"/> and the wait jobs, with a delegate told once when each
    /// wait ends. Set how waits poll with <c>services.Configure&lt;BillingImportsHangfireOptions&gt;</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="onCompleted">Told once when each wait ends, with Hangfire's shutdown token.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddBillingImportsHangfire(this IServiceCollection services, Func<WaitCompletion, CancellationToken, Task> onCompleted)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(onCompleted);
        services.AddOptions<BillingImportsHangfireOptions>();
        services.TryAddSingleton<IWaitCompletionHandler>(new DelegateCompletionHandler(onCompleted));
        return AddJobs(services);
    }

    private static IServiceCollection AddJobs(IServiceCollection services)
    {
        services.TryAddTransient<WaitJobs>();
        services.TryAddSingleton<WaitScheduler>();
        return services;
    }
}
