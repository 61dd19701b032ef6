namespace BillingImports;

/// <summary>
/// How the transport retries a call that failed transiently: 429 and 500/502/503/504 answers,
/// network failures and per-attempt timeouts. Both endpoints are idempotent GETs, so a retry is
/// always safe.
/// </summary>
public sealed class RetryOptions
{
    /// <summary>Retries after the first attempt; 0 disables retrying. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The delay before the first retry; each later one doubles it. Default 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest computed backoff delay. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest <c>Retry-After</c> the transport waits out itself. A longer one ends the call with
    /// the service's answer (a <see cref="BillingImportsApiException"/> carrying
    /// <see cref="BillingImportsApiException.RetryAfter"/>) so the caller decides. Default 60 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The fraction by which each computed delay is spread at random, up or down. Default 0.2.</summary>
    public double Jitter { get; set; } = 0.2;

    /// <summary>Adds every problem with these options to <paramref name="problems"/>.</summary>
    internal void AddProblems(List<string> problems)
    {
        if (MaxRetries < 0)
        {
            problems.Add("Retry.MaxRetries cannot be negative.");
        }

        if (BaseDelay < TimeSpan.Zero || MaxDelay < BaseDelay || MaxDelay > Timers.MaxDelay)
        {
            problems.Add("Retry.BaseDelay must be zero or more and Retry.MaxDelay at least Retry.BaseDelay and at most 49 days.");
        }

        if (MaxRetryAfter < TimeSpan.Zero || MaxRetryAfter > Timers.MaxDelay)
        {
            problems.Add("Retry.MaxRetryAfter must be zero or more and at most 49 days.");
        }

        if (double.IsNaN(Jitter) || Jitter is < 0 or >= 1)
        {
            problems.Add("Retry.Jitter must be at least 0 and less than 1.");
        }
    }
}
