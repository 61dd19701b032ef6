using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Waits on Elastic Path import jobs: one, resumed from a checkpoint, one poll at a time, or many at once.</summary>
public static class SubscriptionImportsClientExtensions
{
    /// <summary>
    /// Polls an import job until it finishes. Returns the final state on <c>success</c>; throws
    /// <see cref="ImportFailedException"/> on <c>failed</c>, with the final state, its record counts
    /// and the first failing lines (<see cref="PollingOptions.ImportErrorsOnFailure"/>), fetched once.
    /// </summary>
    /// <remarks>
    /// A <c>success</c> with fewer records imported than uploaded is still a success; its skipped
    /// lines are there on request: <see cref="ImportErrorsExtensions.GetImportErrorsAsync"/>.
    /// Every progress report carries the wait's <see cref="ImportProgress.Checkpoint"/>, from which
    /// <see cref="ResumeWaitAsync"/>
    /// resumes the wait in another process.
    /// </remarks>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="progress">Receives every successful poll: status and record counts.</param>
    /// <param name="cancellationToken">Stops the wait; the wait then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The job in its final, successful state (or, with <see cref="PollingOptions.TreatUnknownStatusAsTerminal"/>, in an unknown state).</returns>
    /// <exception cref="ImportFailedException">The job finished with status <c>failed</c>.</exception>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure (such as 404), or more transient failures in a row than the budget allows.</exception>
    public static Task<SubscriptionImport> WaitForCompletionAsync(
        this ISubscriptionImportsClient client,
        string importUuid,
        PollingOptions? options = null,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importUuid);
        options ??= new PollingOptions();
        return WaitAsync(client, importUuid, null, options, progress, cancellationToken);
    }

    /// <summary>
    /// Resumes a wait from a checkpoint, in this process or another: the deadline, the poll count
    /// and the backoff go on from where the checkpoint says, and the wait ends as
    /// <see cref="WaitForCompletionAsync(ISubscriptionImportsClient, string, PollingOptions?, IProgress{ImportProgress}?, CancellationToken)"/> does.
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="checkpoint">A checkpoint of an import wait (<see cref="ImportProgress.Checkpoint"/>, <see cref="WaitStep{TResource}.Checkpoint"/>, <see cref="WaitCheckpoint.ForImport"/>).</param>
    /// <param name="options">Intervals and failure budget; its <see cref="PollingOptions.Timeout"/> is not used, the checkpoint's deadline is.</param>
    /// <param name="progress">Receives every successful poll.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The job in its final, successful state.</returns>
    /// <exception cref="ArgumentException">The checkpoint is of a data source wait, or not valid.</exception>
    /// <exception cref="ImportFailedException">The job finished with status <c>failed</c>.</exception>
    /// <exception cref="PollingTimeoutException">The checkpoint's deadline passed first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure, or the transient budget was spent.</exception>
    public static Task<SubscriptionImport> ResumeWaitAsync(
        this ISubscriptionImportsClient client,
        WaitCheckpoint checkpoint,
        PollingOptions? options = null,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfNotImport(checkpoint);
        options ??= new PollingOptions();
        return WaitAsync(client, checkpoint.ResourceId, checkpoint, options, progress, cancellationToken);
    }

    /// <summary>
    /// Polls an import job once from a checkpoint and says what comes next: the state read, whether
    /// the wait is over and how, the delay before the next poll (backoff, jitter and the server's
    /// <c>Retry-After</c> applied), and the checkpoint to poll from next. For schedulers that own
    /// their timers (a job queue, a workflow engine): store the checkpoint, come back after the
    /// delay, in this process or another.
    /// </summary>
    /// <remarks>
    /// The wait's own outcomes are not thrown: a <c>failed</c> job (with its first failing lines
    /// read once), a timeout and an API error come back as a final step with
    /// <see cref="WaitStep{TResource}.Exception"/> set. A poll still in flight at the checkpoint's
    /// deadline is cancelled, and no poll starts after it.
    /// </remarks>
    /// <param name="client">The imports client.</param>
    /// <param name="checkpoint">Where the wait stands: <see cref="WaitCheckpoint.ForImport"/> for a new one.</param>
    /// <param name="options">Intervals, failure budget and clock; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the poll; it then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">The checkpoint is of a data source wait, or not valid.</exception>
    public static async Task<WaitStep<SubscriptionImport>> PollOnceAsync(
        this ISubscriptionImportsClient client,
        WaitCheckpoint checkpoint,
        PollingOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfNotImport(checkpoint);
        options ??= new PollingOptions();
        options.Validate();
        using var activity = WaitTelemetry.StartStep(WaitResourceKind.Import, checkpoint.ResourceId);
        var step = await Poller.StepAsync(new ImportPollTarget(client, checkpoint.ResourceId), checkpoint, options, null, null, readFailureDetails: true, cancellationToken).ConfigureAwait(false);
        WaitTelemetry.Polled(activity, step);
        return step;
    }

    /// <summary>
    /// Polls an import job and yields its state each time the status or a record count changes,
    /// starting with the first state seen. The sequence ends after the final state (<c>success</c>
    /// or <c>failed</c>, which is yielded, not thrown).
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>Every observed change of state.</returns>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure, or the transient budget was spent.</exception>
    public static async IAsyncEnumerable<SubscriptionImport> WatchAsync(
        this ISubscriptionImportsClient client,
        string importUuid,
        PollingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importUuid);
        options ??= new PollingOptions();
        options.Validate();
        var checkpoint = WaitCheckpoint.ForImport(importUuid, options);
        await foreach (var change in Poller.ChangesAsync(new ImportPollTarget(client, importUuid), checkpoint, options, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>
    /// Waits for many import jobs at once on this client, sharing its connections and its request
    /// rate limit, and returns every outcome: a failed job (with its first failing lines), a timeout
    /// or an error in one wait is that wait's result and hides no other. Each wait polls, backs off
    /// and times out as <see cref="WaitForCompletionAsync(ISubscriptionImportsClient, string, PollingOptions?, IProgress{ImportProgress}?, CancellationToken)"/> does.
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuids">The job ids, each once.</param>
    /// <param name="options">Intervals, timeout (for each wait, from now) and failure budget; null for the defaults.</param>
    /// <param name="progress">Receives the totals each time a wait ends or an import's counts change.</param>
    /// <param name="cancellationToken">Stops every wait; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Every wait's result, in the order of <paramref name="importUuids"/>, and the totals.</returns>
    /// <exception cref="ArgumentException">An id is empty or given twice.</exception>
    public static Task<WaitAllResult<SubscriptionImport>> WaitForAllAsync(
        this ISubscriptionImportsClient client,
        IEnumerable<string> importUuids,
        PollingOptions? options = null,
        IProgress<WaitAllProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ids = FleetWaiter.Ids(importUuids, nameof(importUuids));
        options ??= new PollingOptions();
        options.Validate();
        return FleetWaiter.WaitAllAsync<SubscriptionImport>(ids, (id, stepped, gate) => new ImportPollTarget(client, id) { Stepped = stepped, Gate = gate }, WaitCheckpoint.ForImport, options, progress, cancellationToken);
    }

    /// <summary>
    /// Waits for many import jobs at once, yielding an update each time one's status or counts
    /// change and when one ends (with its outcome), each with the totals over all of them. The
    /// sequence ends when every wait has ended; a failed job, a timeout or an error is an update,
    /// not an exception.
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importUuids">The job ids, each once.</param>
    /// <param name="options">Intervals, timeout (for each wait, from now) and failure budget; null for the defaults.</param>
    /// <param name="cancellationToken">Stops every wait.</param>
    /// <returns>The updates, in the order they happened.</returns>
    /// <exception cref="ArgumentException">An id is empty or given twice.</exception>
    public static IAsyncEnumerable<WaitUpdate<SubscriptionImport>> WatchManyAsync(
        this ISubscriptionImportsClient client,
        IEnumerable<string> importUuids,
        PollingOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ids = FleetWaiter.Ids(importUuids, nameof(importUuids));
        options ??= new PollingOptions();
        options.Validate();
        return FleetWaiter.WatchManyAsync<SubscriptionImport>(ids, (id, stepped, gate) => new ImportPollTarget(client, id) { Stepped = stepped, Gate = gate }, WaitCheckpoint.ForImport, options, cancellationToken);
    }

    private static Task<SubscriptionImport> WaitAsync(ISubscriptionImportsClient client, string importUuid, WaitCheckpoint? checkpoint, PollingOptions options, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
            checkpoint ??= WaitCheckpoint.ForImport(importUuid, options);
        }
        catch (ArgumentException exception)
        {
            // Out-of-range options fault the returned task, as they always have, rather than throw here.
            return Task.FromException<SubscriptionImport>(exception);
        }

        return Poller.RunAsync(new ImportPollTarget(client, importUuid, progress), checkpoint, options, Poller.ResourceOrThrow, cancellationToken);
    }

    private static void ThrowIfNotImport(WaitCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.ThrowIfInvalid(nameof(checkpoint));
        if (checkpoint.ResourceKind != WaitResourceKind.Import)
        {
            throw new ArgumentException($"The checkpoint is of a wait on a {WaitTelemetry.Name(checkpoint.ResourceKind)}, not on an import.", nameof(checkpoint));
        }
    }
}
