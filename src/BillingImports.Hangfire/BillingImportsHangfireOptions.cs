namespace BillingImports.Hangfire;

/// <summary>How waits run as Hangfire jobs poll.</summary>
public sealed class BillingImportsHangfireOptions
{
    /// <summary>
    /// Intervals, jitter, failure budget, <c>Retry-After</c> clamp and the default timeout of a
    /// wait (a wait's deadline is fixed when it starts and travels with it). The clock is the
    /// container's <see cref="TimeProvider"/> when one is registered.
    /// </summary>
    public PollingOptions Polling { get; set; } = new();

    /// <summary>
    /// How long a poll job waits for the wait's lock (held for the moment it takes to schedule the
    /// next job) before Hangfire retries it. Default 30 seconds.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
