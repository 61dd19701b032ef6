using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BillingImports.Hangfire;

/// <summary>
/// The Hangfire jobs of a wait: <see cref="PollAsync"/> polls once from the checkpoint in its
/// arguments and schedules the next poll at the step's delay, or, when the wait ends, the one
/// <see cref="CompleteAsync"/> job that tells the <see cref="IWaitCompletionHandler"/>. Any server
/// sharing the storage runs them; a server that dies mid-poll has its job run again elsewhere,
/// with the same checkpoint and so the same deadline. Start waits with <see cref="WaitScheduler"/>.
/// </summary>
/// <remarks>
/// Hangfire runs a job at least once. A poll job that runs again after its server died having
/// already scheduled the next poll finds that in the wait's ledger and does nothing, so a wait is
/// never polled by two chains, and its completion job is created once.
/// </remarks>
public sealed class WaitJobs
{
    private readonly IServiceProvider _services;
    private readonly BillingImportsHangfireOptions _options;

    /// <summary>Creates the jobs' host; Hangfire's job activator does, from the container.</summary>
    /// <param name="services">Where the SDK's clients and the completion handler are resolved from.</param>
    /// <param name="options">How waits poll.</param>
    public WaitJobs(IServiceProvider services, IOptions<BillingImportsHangfireOptions> options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _options = options.Value;
    }

    /// <summary>One poll of a wait; schedules the next poll or the completion.</summary>
    /// <param name="waitId">The wait's id.</param>
    /// <param name="checkpoint">The wait's checkpoint, as JSON (<see cref="WaitCheckpoint.ToJson"/>).</param>
    /// <param name="context">Hangfire's context for the job; pass null, Hangfire supplies it.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token; pass <see cref="CancellationToken.None"/>, Hangfire supplies it.</param>
    /// <returns>A task that completes when the next job is scheduled.</returns>
    /// <exception cref="ArgumentException">The checkpoint is not valid.</exception>
    /// <exception cref="InvalidOperationException">The client the wait needs is not registered, or the job runs outside Hangfire.</exception>
    [WaitLedger]
    public async Task PollAsync(string waitId, string checkpoint, PerformContext? context, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(waitId);
        if (context is null)
        {
            throw new InvalidOperationException("A wait's poll job runs inside Hangfire, which supplies its PerformContext.");
        }

        var current = WaitCheckpoint.FromJson(checkpoint);
        var ledger = new WaitLedger(context.Connection, waitId);
        if (ledger.IsPast(current.Attempt))
        {
            // This poll already ran to the end elsewhere: its successor or the completion exists.
            return;
        }

        var (next, delay, completion) = await StepAsync(waitId, current, cancellationToken).ConfigureAwait(false);
        using (context.Connection.AcquireDistributedLock(ledger.LockResource, _options.LockTimeout))
        {
            if (ledger.IsPast(current.Attempt))
            {
                return;
            }

            var jobs = new BackgroundJobClient(context.Storage ?? JobStorage.Current);
            if (completion is not null)
            {
                var payload = completion.ToJson();
                jobs.Create(Job.FromExpression<WaitJobs>(job => job.CompleteAsync(waitId, payload, CancellationToken.None)), new EnqueuedState());
            }
            else
            {
                var payload = next.ToJson();
                jobs.Create(Job.FromExpression<WaitJobs>(job => job.PollAsync(waitId, payload, null, CancellationToken.None)), new ScheduledState(delay));
            }
        }
    }

    /// <summary>The end of a wait: hands the completion to the registered <see cref="IWaitCompletionHandler"/>.</summary>
    /// <param name="waitId">The wait's id.</param>
    /// <param name="completion">How the wait ended, as JSON.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token; pass <see cref="CancellationToken.None"/>, Hangfire supplies it.</param>
    /// <returns>A task that completes when the handler has.</returns>
    /// <exception cref="InvalidOperationException">No <see cref="IWaitCompletionHandler"/> is registered.</exception>
    [WaitLedger]
    public async Task CompleteAsync(string waitId, string completion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(waitId);
        var handler = _services.GetService<IWaitCompletionHandler>()
            ?? throw new InvalidOperationException("No IWaitCompletionHandler is registered: call AddBillingImportsHangfire<THandler>().");
        await handler.OnWaitCompletedAsync(WaitCompletion.FromJson(completion), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(WaitCheckpoint Next, TimeSpan Delay, WaitCompletion? Completion)> StepAsync(string waitId, WaitCheckpoint current, CancellationToken cancellationToken)
    {
        var polling = _options.Polling;
        if (current.ResourceKind == WaitResourceKind.Import)
        {
            var imports = _services.GetService<ISubscriptionImportsClient>()
                ?? throw new InvalidOperationException("An import wait needs the Elastic Path client: call AddElasticPathClient.");
            var step = await imports.PollOnceAsync(current, polling, cancellationToken).ConfigureAwait(false);
            return (step.Checkpoint, step.Delay, step.IsFinal ? WaitCompletion.From(waitId, step, polling.TimeProvider.GetUtcNow()) : null);
        }

        var sources = _services.GetService<IDataSourcesClient>()
            ?? throw new InvalidOperationException("A data source wait needs the ChartMogul client: call AddChartMogulClient.");
        var sourceStep = await sources.PollOnceAsync(current, polling, cancellationToken).ConfigureAwait(false);
        return (sourceStep.Checkpoint, sourceStep.Delay, sourceStep.IsFinal ? WaitCompletion.From(waitId, sourceStep, polling.TimeProvider.GetUtcNow()) : null);
    }
}
