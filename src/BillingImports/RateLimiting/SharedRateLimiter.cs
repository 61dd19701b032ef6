using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BillingImports;

/// <summary>
/// The one request rate limiter of a client registered with dependency injection, a singleton of
/// the container: <c>IHttpClientFactory</c> builds a new pipeline every few minutes, and all of
/// them take their permits here. The container disposes it.
/// </summary>
/// <typeparam name="TOptions">The client's options type, which tells the clients apart.</typeparam>
internal sealed class SharedRateLimiter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions> : IDisposable
    where TOptions : BillingImportsClientOptions
{
    private SharedRateLimiter(RequestRateLimiter? limiter) => Limiter = limiter;

    /// <summary>The limiter; null when the options set no rate.</summary>
    public RequestRateLimiter? Limiter { get; }

    public static SharedRateLimiter<TOptions> Create(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<TOptions>>().Value;
        return new SharedRateLimiter<TOptions>(options.EffectiveMaxRequestsPerSecond is { } rate
            ? new RequestRateLimiter(rate, provider.GetService<TimeProvider>() ?? TimeProvider.System)
            : null);
    }

    public void Dispose() => Limiter?.Dispose();
}
