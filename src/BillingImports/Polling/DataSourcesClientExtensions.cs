using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Waits on ChartMogul data sources.</summary>
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
    /// <param name="progress">Receives every successful poll.</param>
    /// <param name="cancellationToken">Stops the wait; the wait then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The data source once its status is <c>idle</c> or <c>import_complete</c>.</returns>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure (such as 404 or an invalid UUID), or the transient budget was spent.</exception>
    public static async Task<DataSource> WaitForCompletionAsync(
        this IDataSourcesClient client,
        string dataSourceUuid,
        PollingOptions? options = null,
        IProgress<DataSourceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSourceUuid);
        options ??= new PollingOptions();
        DataSource? final = null;
        await foreach (var observation in Poller.ObserveAsync(Target(client, dataSourceUuid, options), options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new DataSourceProgress(observation.Value, observation.Attempt, observation.Elapsed));
            final = observation.Value;
        }

        return final!;
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
        await foreach (var change in Poller.ChangesAsync(Target(client, dataSourceUuid, options), options, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    private static PollTarget<DataSource> Target(IDataSourcesClient client, string dataSourceUuid, PollingOptions options) => new()
    {
        ResourceKind = "data source",
        ResourceId = dataSourceUuid,
        FetchAsync = cancellationToken => client.GetDataSourceAsync(dataSourceUuid, cancellationToken: cancellationToken),
        StatusOf = source => source.Status.Value,
        IsFinal = source => source.Status.IsDone || (options.TreatUnknownStatusAsTerminal && !source.Status.IsKnown),
        HasChanged = (previous, current) => previous.Status != current.Status,
    };
}
