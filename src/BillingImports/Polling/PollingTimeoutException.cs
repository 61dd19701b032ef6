namespace BillingImports;

/// <summary>
/// A wait ran past <see cref="PollingOptions.Timeout"/> before the resource reached a final state.
/// Distinct from <see cref="OperationCanceledException"/>, which means the caller cancelled. The
/// typed <see cref="PollingTimeoutException{TResource}"/> carries the last state seen.
/// </summary>
public class PollingTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A readable sentence.</param>
    /// <param name="resourceId">The id of the import or data source waited for.</param>
    /// <param name="attempts">How many polls were made.</param>
    /// <param name="elapsed">How long the wait ran.</param>
    /// <param name="innerException">The failure in flight when the time ran out, if any.</param>
    public PollingTimeoutException(string message, string resourceId, int attempts, TimeSpan elapsed, Exception? innerException = null)
        : base(message, innerException)
    {
        ResourceId = resourceId;
        Attempts = attempts;
        Elapsed = elapsed;
    }

    /// <summary>The id of the import or data source waited for.</summary>
    public string ResourceId { get; }

    /// <summary>How many polls were made.</summary>
    public int Attempts { get; }

    /// <summary>How long the wait ran.</summary>
    public TimeSpan Elapsed { get; }
}

/// <summary>
/// A wait on a <typeparamref name="TResource"/> (a <see cref="SubscriptionImport"/> or a
/// <see cref="DataSource"/>) timed out; <see cref="LastObserved"/> is the last state seen.
/// </summary>
/// <typeparam name="TResource">The resource waited for.</typeparam>
public sealed class PollingTimeoutException<TResource> : PollingTimeoutException
    where TResource : class
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">A readable sentence.</param>
    /// <param name="resourceId">The id of the resource waited for.</param>
    /// <param name="attempts">How many polls were made.</param>
    /// <param name="elapsed">How long the wait ran.</param>
    /// <param name="lastObserved">The last state seen, or null when no poll succeeded.</param>
    /// <param name="innerException">The failure in flight when the time ran out, if any.</param>
    public PollingTimeoutException(string message, string resourceId, int attempts, TimeSpan elapsed, TResource? lastObserved, Exception? innerException = null)
        : base(message, resourceId, attempts, elapsed, innerException)
    {
        LastObserved = lastObserved;
    }

    /// <summary>The last state seen, or null when no poll succeeded.</summary>
    public TResource? LastObserved { get; }
}
