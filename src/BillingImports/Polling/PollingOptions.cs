namespace BillingImports;

/// <summary>
/// How a wait polls: the interval grows from <see cref="InitialInterval"/> by <see cref="BackoffFactor"/>
/// up to <see cref="MaxInterval"/>, with <see cref="Jitter"/> spread, never sooner than a server's
/// <c>Retry-After</c>, and the whole wait gives up after <see cref="Timeout"/>.
/// </summary>
/// <remarks>
/// The defaults suit imports that take seconds to an hour: the first checks come quickly, a long
/// import is checked at most every 30 seconds, so its completion is seen within 30 seconds.
/// </remarks>
public sealed class PollingOptions
{
    /// <summary>The delay before the second poll. Default 1 second.</summary>
    public TimeSpan InitialInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Each delay is the previous one times this factor (1 polls at a fixed interval). Default 1.5.</summary>
    public double BackoffFactor { get; set; } = 1.5;

    /// <summary>The longest delay between two polls, before jitter. Default 30 seconds.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The fraction by which each delay is spread at random, up or down, so that many waits started
    /// together do not poll in lockstep. 0 disables jitter. Default 0.1 (±10%).
    /// </summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>
    /// How long the whole wait may take before it throws <see cref="PollingTimeoutException"/>; a poll
    /// still in flight at the deadline is cancelled (its transient timeout is the exception's inner
    /// exception), and no poll starts after it. At most 49 days;
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> waits until cancelled. Default 1 hour.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest pause a server's <c>Retry-After</c> can impose between two polls; a longer one
    /// (a misconfigured proxy asking for years) is cut to this. Within a finite <see cref="Timeout"/>
    /// a pause that would end after the deadline ends the wait at once instead. Default 1 hour.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many transient failures in a row (429, 500/502/503/504, timeouts, network errors) the
    /// wait rides through before it rethrows the last one. A successful poll resets the count.
    /// Default 5.
    /// </summary>
    public int MaxConsecutiveTransientFailures { get; set; } = 5;

    /// <summary>
    /// When true, a status the SDK does not know ends the wait and the resource is returned as is;
    /// when false (the default), an unknown status is treated as still in progress.
    /// </summary>
    public bool TreatUnknownStatusAsTerminal { get; set; }

    /// <summary>
    /// How many of a failed import's failing lines the wait reads (once) for
    /// <see cref="ImportFailedException.ImportErrors"/>; 0 reads none. Default 10, at most 100.
    /// </summary>
    public int ImportErrorsOnFailure { get; set; } = 10;

    /// <summary>The clock for delays and the timeout. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (InitialInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialInterval), InitialInterval, "The initial interval must be positive.");
        }

        if (MaxInterval < InitialInterval || MaxInterval > Timers.MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInterval), MaxInterval, "The maximum interval must be at least the initial interval and at most 49 days.");
        }

        if (double.IsNaN(BackoffFactor) || BackoffFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffFactor), BackoffFactor, "The backoff factor must be 1 or more.");
        }

        if (double.IsNaN(Jitter) || Jitter is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Jitter), Jitter, "Jitter must be at least 0 and less than 1.");
        }

        if ((Timeout <= TimeSpan.Zero || Timeout > Timers.MaxDelay) && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The timeout must be positive and at most 49 days, or Timeout.InfiniteTimeSpan.");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > Timers.MaxDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetryAfter), MaxRetryAfter, "The longest Retry-After pause must be zero or more and at most 49 days.");
        }

        if (MaxConsecutiveTransientFailures < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConsecutiveTransientFailures), MaxConsecutiveTransientFailures, "The transient failure budget cannot be negative.");
        }

        if (ImportErrorsOnFailure is < 0 or > ImportErrorsExtensions.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(ImportErrorsOnFailure), ImportErrorsOnFailure, "The number of import errors to read must be from 0 to 100.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
