using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Waits on ChartMogul data sources: one, resumed from a checkpoint, one poll at a time, or many at once.</summary>
/// <remarks>
/// A data source is done when its status is <c>idle</c> (custom sources) or <c>import_complete</c>
/// (integrations), whatever kind of source it is, because the service does not keep to its
/// documented split. <c>working</c> and <c>importing</c> mean processing. <c>never_imported</c>
/// means nothing has been processed yet, so it is not done: the wait keeps polling until the first
/// import starts and completes, bounded by <see cref="PollingOptions.Timeout"/>. A status the SDK
/// does not know is treated as still processing, unless
/// <see cref="PollingOptions.TreatUnknownStatusAsTerminal"/> is set.
/// </remarks>
public static class DataSourcesClientExtensions
{
    /// <summary>Polls a data source until it has finished processing and returns its final state.</summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="dataSourceUuid">The data source UUID (<c>ds_...</c>).</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="progress">Receives every successful poll, with the wait's checkpoint.</param>
    /// <param name="cancellationToken">Stops the wait; the wait then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The data source once its status is <c>idle</c> or <c>import_complete</c>.</returns>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure (such as 404 or an invalid UUID), or the transient budget was spent.</exception>
    public static Task<DataSource> WaitForCompletionAsync(
        this IDataSourcesClient client,
        string dataSourceUuid,
        PollingOptions? options = null,
        IProgress<DataSourceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSourceUuid);
        options ??= new PollingOptions();
        return WaitAsync(client, dataSourceUuid, null, options, progress, cancellationToken);
    }

    /// <summary>
    /// Resumes a wait from a checkpoint, in this process or another: the deadline, the poll count
    /// and the backoff go on from where the checkpoint says.
    /// </summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="checkpoint">A checkpoint of a data source wait (<see cref="DataSourceProgress.Checkpoint"/>, <see cref="WaitStep{TResource}.Checkpoint"/>, <see cref="WaitCheckpoint.ForDataSource"/>).</param>
    /// <param name="options">Intervals and failure budget; its <see cref="PollingOptions.Timeout"/> is not used, the checkpoint's deadline is.</param>
    /// <param name="progress">Receives every successful poll.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The data source once it is done.</returns>
    /// <exception cref="ArgumentException">The checkpoint is of an import wait, or not valid.</exception>
    /// <exception cref="PollingTimeoutException">The checkpoint's deadline passed first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure, or the transient budget was spent.</exception>
    public static Task<DataSource> ResumeWaitAsync(
        this IDataSourcesClient client,
        WaitCheckpoint checkpoint,
        PollingOptions? options = null,
        IProgress<DataSourceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfNotDataSource(checkpoint);
        options ??= new PollingOptions();
        return WaitAsync(client, checkpoint.ResourceId, checkpoint, options, progress, cancellationToken);
    }

    /// <summary>
    /// Polls a data source once from a checkpoint and says what comes next: the state read, whether
    /// the wait is over and how, the delay before the next poll, and the checkpoint to poll from
    /// next. A timeout and an API error come back as a final step, not as exceptions.
    /// </summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="checkpoint">Where the wait stands: <see cref="WaitCheckpoint.ForDataSource"/> for a new one.</param>
    /// <param name="options">Intervals, failure budget and clock; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the poll; it then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The step.</returns>
    /// <exception cref="ArgumentException">The checkpoint is of an import wait, or not valid.</exception>
    public static async Task<WaitStep<DataSource>> PollOnceAsync(
        this IDataSourcesClient client,
        WaitCheckpoint checkpoint,
        PollingOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ThrowIfNotDataSource(checkpoint);
        options ??= new PollingOptions();
        options.Validate();
        using var activity = WaitTelemetry.StartStep(WaitResourceKind.DataSource, checkpoint.ResourceId);
        var step = await Poller.StepAsync(new DataSourcePollTarget(client, checkpoint.ResourceId), checkpoint, options, null, null, readFailureDetails: true, cancellationToken).ConfigureAwait(false);
        WaitTelemetry.Polled(activity, step);
        return step;
    }

    /// <summary>
    /// Polls a data source and yields its state each time the status changes, starting with the
    /// first state seen; the sequence ends after the final state.
    /// </summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="dataSourceUuid">The data source UUID.</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>Every observed change of status.</returns>
    public static async IAsyncEnumerable<DataSource> WatchAsync(
        this IDataSourcesClient client,
        string dataSourceUuid,
        PollingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSourceUuid);
        options ??= new PollingOptions();
        options.Validate();
        var checkpoint = WaitCheckpoint.ForDataSource(dataSourceUuid, options);
        await foreach (var change in Poller.ChangesAsync(new DataSourcePollTarget(client, dataSourceUuid), checkpoint, options, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>
    /// Waits for many data sources at once on this client, sharing its connections and its request
    /// rate limit, and returns every outcome: a timeout or an error in one wait is that wait's
    /// result and hides no other.
    /// </summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="dataSourceUuids">The data source UUIDs, each once.</param>
    /// <param name="options">Intervals, timeout (for each wait, from now) and failure budget; null for the defaults.</param>
    /// <param name="progress">Receives the totals each time a wait ends.</param>
    /// <param name="cancellationToken">Stops every wait; the call then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Every wait's result, in the order of <paramref name="dataSourceUuids"/>, and the totals.</returns>
    /// <exception cref="ArgumentException">An id is empty or given twice.</exception>
    public static Task<WaitAllResult<DataSource>> WaitForAllAsync(
        this IDataSourcesClient client,
        IEnumerable<string> dataSourceUuids,
        PollingOptions? options = null,
        IProgress<WaitAllProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ids = FleetWaiter.Ids(dataSourceUuids, nameof(dataSourceUuids));
        options ??= new PollingOptions();
        options.Validate();
        return FleetWaiter.WaitAllAsync<DataSource>(ids, (id, stepped, gate) => new DataSourcePollTarget(client, id) { Stepped = stepped, Gate = gate }, WaitCheckpoint.ForDataSource, options, progress, cancellationToken);
    }

    /// <summary>
    /// Waits for many data sources at once, yielding an update each time one's status changes and
    /// when one ends (with its outcome), each with the totals over all of them. The sequence ends
    /// when every wait has ended; a timeout or an error is an update, not an exception.
    /// </summary>
    /// <param name="client">The data sources client.</param>
    /// <param name="dataSourceUuids">The data source UUIDs, each once.</param>
    /// <param name="options">Intervals, timeout (for each wait, from now) and failure budget; null for the defaults.</param>
    /// <param name="cancellationToken">Stops every wait.</param>
    /// <returns>The updates, in the order they happened.</returns>
    /// <exception cref="ArgumentException">An id is empty or given twice.</exception>
    public static IAsyncEnumerable<WaitUpdate<DataSource>> WatchManyAsync(
        this IDataSourcesClient client,
        IEnumerable<string> dataSourceUuids,
        PollingOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var ids = FleetWaiter.Ids(dataSourceUuids, nameof(dataSourceUuids));
        options ??= new PollingOptions();
        options.Validate();
        return FleetWaiter.WatchManyAsync<DataSource>(ids, (id, stepped, gate) => new DataSourcePollTarget(client, id) { Stepped = stepped, Gate = gate }, WaitCheckpoint.ForDataSource, options, cancellationToken);
    }

    private static Task<DataSource> WaitAsync(IDataSourcesClient client, string dataSourceUuid, WaitCheckpoint? checkpoint, PollingOptions options, IProgress<DataSourceProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
            checkpoint ??= WaitCheckpoint.ForDataSource(dataSourceUuid, options);
        }
        catch (ArgumentException exception)
        {
            // Out-of-range options fault the returned task, as they always have, rather than throw here.
            return Task.FromException<DataSource>(exception);
        }

        return Poller.RunAsync(new DataSourcePollTarget(client, dataSourceUuid, progress), checkpoint, options, Poller.ResourceOrThrow, cancellationToken);
    }

    private static void ThrowIfNotDataSource(WaitCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        checkpoint.ThrowIfInvalid(nameof(checkpoint));
        if (checkpoint.ResourceKind != WaitResourceKind.DataSource)
        {
            throw new ArgumentException($"The checkpoint is of a wait on an {WaitTelemetry.Name(checkpoint.ResourceKind)}, not on a data source.", nameof(checkpoint));
        }
    }
}
