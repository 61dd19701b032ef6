namespace BillingImports;

/// <summary>
/// Where one of many waits stands (<c>WaitForAllAsync</c>, <c>WatchManyAsync</c>): its outcome, the
/// latest state seen, and why it did not succeed. One wait's failure never hides another's outcome.
/// </summary>
/// <typeparam name="TResource">The resource waited for: <see cref="SubscriptionImport"/> or <see cref="DataSource"/>.</typeparam>
public sealed class WaitResult<TResource>
    where TResource : class
{
    internal WaitResult(string resourceId, WaitOutcome outcome, TResource? resource, Exception? exception, WaitCheckpoint checkpoint)
    {
        ResourceId = resourceId;
        Outcome = outcome;
        Resource = resource;
        Exception = exception;
        Checkpoint = checkpoint;
    }

    /// <summary>The import job id or data source UUID.</summary>
    public string ResourceId { get; }

    /// <summary>How the wait ended, or <see cref="WaitOutcome.Pending"/> while it goes on.</summary>
    public WaitOutcome Outcome { get; }

    /// <summary>Whether the wait ended with the resource done.</summary>
    public bool IsSuccess => Outcome == WaitOutcome.Succeeded;

    /// <summary>
    /// The latest state seen: the final one when the wait succeeded or the import failed, the last
    /// one before a timeout or an error; null when no poll succeeded.
    /// </summary>
    public TResource? Resource { get; }

    /// <summary>
    /// Why the wait did not succeed: <see cref="ImportFailedException"/> with the first failing lines,
    /// <see cref="PollingTimeoutException{TResource}"/>, or the error that ended it (a
    /// <see cref="BillingImportsApiException"/>, or whatever a client outside the SDK threw). Null
    /// on success and while the wait goes on.
    /// </summary>
    public Exception? Exception { get; }

    /// <summary>The wait's latest checkpoint: attempts, deadline, last status and counts.</summary>
    public WaitCheckpoint Checkpoint { get; }

    /// <summary>"import 1111...: success (status success) after 4 polls", for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"{WaitTelemetry.Name(Checkpoint.ResourceKind)} {ResourceId}: {WaitTelemetry.Name(Outcome)}{(Checkpoint.LastStatus is { } status ? $" (status {status})" : string.Empty)} after {Checkpoint.Attempt} polls";
}
