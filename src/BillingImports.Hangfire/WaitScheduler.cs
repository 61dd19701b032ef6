using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace BillingImports.Hangfire;

/// <summary>
/// Starts waits that run as Hangfire jobs (<see cref="WaitJobs"/>): the first poll is enqueued at
/// once, every later one is scheduled at the wait's own delay, and the
/// <see cref="IWaitCompletionHandler"/> hears of the end once.
/// </summary>
public sealed class WaitScheduler
{
    private readonly IBackgroundJobClient _jobs;
    private readonly BillingImportsHangfireOptions _options;

    /// <summary>Creates the scheduler.</summary>
    /// <param name="jobs">Hangfire's client, on the storage the servers share.</param>
    /// <param name="options">How waits poll, and their default timeout.</param>
    public WaitScheduler(IBackgroundJobClient jobs, IOptions<BillingImportsHangfireOptions> options)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(options);
        _jobs = jobs;
        _options = options.Value;
    }

    /// <summary>Starts waiting for an Elastic Path import job.</summary>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="timeout">How long the wait may take from now; null for <see cref="PollingOptions.Timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for no deadline.</param>
    /// <returns>The wait's id, which its <see cref="WaitCompletion"/> carries.</returns>
    /// <exception cref="ArgumentException">The id is empty, or the timeout is not positive or beyond 49 days.</exception>
    public string StartImportWait(string importUuid, TimeSpan? timeout = null) =>
        Start(WaitCheckpoint.ForImport(importUuid, _options.Polling), timeout);

    /// <summary>Starts waiting for a ChartMogul data source to finish processing.</summary>
    /// <param name="dataSourceUuid">The data source UUID (<c>ds_...</c>).</param>
    /// <param name="timeout">How long the wait may take from now; null for <see cref="PollingOptions.Timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> for no deadline.</param>
    /// <returns>The wait's id, which its <see cref="WaitCompletion"/> carries.</returns>
    /// <exception cref="ArgumentException">The id is empty, or the timeout is not positive or beyond 49 days.</exception>
    public string StartDataSourceWait(string dataSourceUuid, TimeSpan? timeout = null) =>
        Start(WaitCheckpoint.ForDataSource(dataSourceUuid, _options.Polling), timeout);

    private string Start(WaitCheckpoint checkpoint, TimeSpan? timeout)
    {
        if (timeout is { } limit)
        {
            if (limit != Timeout.InfiniteTimeSpan && (limit <= TimeSpan.Zero || limit > TimeSpan.FromMilliseconds(uint.MaxValue - 1)))
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), limit, "The timeout must be positive and at most 49 days, or Timeout.InfiniteTimeSpan.");
            }

            checkpoint = checkpoint with { Deadline = limit == Timeout.InfiniteTimeSpan ? null : checkpoint.StartedAt + limit };
        }

        var waitId = Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var payload = checkpoint.ToJson();
        _jobs.Create(Job.FromExpression<WaitJobs>(job => job.PollAsync(waitId, payload, null, CancellationToken.None)), new EnqueuedState());
        return waitId;
    }
}
