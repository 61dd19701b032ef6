namespace BillingImports;

/// <summary>Where a wait stands after a poll: still going, or ended and how.</summary>
public enum WaitOutcome
{
    /// <summary>The resource is still working; the wait polls again after <see cref="WaitStep{TResource}.Delay"/>.</summary>
    Pending = 0,

    /// <summary>
    /// The resource reached a done status: an import's <c>success</c>, a data source's <c>idle</c> or
    /// <c>import_complete</c>, or, with <see cref="PollingOptions.TreatUnknownStatusAsTerminal"/>, a
    /// status the SDK does not know.
    /// </summary>
    Succeeded = 1,

    /// <summary>The import finished with status <c>failed</c> (<see cref="ImportFailedException"/>).</summary>
    Failed = 2,

    /// <summary>The deadline passed first (<see cref="PollingTimeoutException{TResource}"/>).</summary>
    TimedOut = 3,

    /// <summary>
    /// A failure ended the wait: a non-transient API error (404, 401, 422), or more transient
    /// failures in a row than <see cref="PollingOptions.MaxConsecutiveTransientFailures"/> allows.
    /// </summary>
    Error = 4,
}
