namespace BillingImports;

/// <summary>One change among many waits (<c>WatchManyAsync</c>): the wait that changed, and how all of them stand now.</summary>
/// <typeparam name="TResource">The resource waited for: <see cref="SubscriptionImport"/> or <see cref="DataSource"/>.</typeparam>
/// <param name="Wait">The wait whose state changed or which ended.</param>
/// <param name="Progress">All the waits, this change included.</param>
public sealed record WaitUpdate<TResource>(WaitResult<TResource> Wait, WaitAllProgress Progress)
    where TResource : class;
