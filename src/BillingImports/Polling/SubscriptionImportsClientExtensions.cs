using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Waits on Elastic Path import jobs.</summary>
public static class SubscriptionImportsClientExtensions
{
    /// <summary>
    /// Polls an import job until it finishes. Returns the final state on <c>success</c>; throws
    /// <see cref="ImportFailedException"/> (with the final state and record counts) on <c>failed</c>.
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importId">The import job id.</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="progress">Receives every successful poll: status and record counts.</param>
    /// <param name="cancellationToken">Stops the wait; the wait then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>The job in its final, successful state (or, with <see cref="PollingOptions.TreatUnknownStatusAsTerminal"/>, in an unknown state).</returns>
    /// <exception cref="ImportFailedException">The job finished with status <c>failed</c>.</exception>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure (such as 404), or more transient failures in a row than the budget allows.</exception>
    public static async Task<SubscriptionImport> WaitForCompletionAsync(
        this ISubscriptionImportsClient client,
        string importId,
        PollingOptions? options = null,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        options ??= new PollingOptions();
        SubscriptionImport? final = null;
        await foreach (var observation in Poller.ObserveAsync(Target(client, importId, options), options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new ImportProgress(observation.Value, observation.Attempt, observation.Elapsed));
            final = observation.Value;
        }

        // The loop ends only on a final state or by throwing, so final is set here.
        return final!.Status == ImportStatus.Failed ? throw new ImportFailedException(final) : final;
    }

    /// <summary>
    /// Polls an import job and yields its state each time the status or a record count changes,
    /// starting with the first state seen. The sequence ends after the final state (<c>success</c>
    /// or <c>failed</c>, which is yielded, not thrown).
    /// </summary>
    /// <param name="client">The imports client.</param>
    /// <param name="importId">The import job id.</param>
    /// <param name="options">Intervals, timeout and failure budget; null for the defaults.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>Every observed change of state.</returns>
    /// <exception cref="PollingTimeoutException"><see cref="PollingOptions.Timeout"/> ran out first.</exception>
    /// <exception cref="BillingImportsApiException">A non-transient failure, or the transient budget was spent.</exception>
    public static async IAsyncEnumerable<SubscriptionImport> WatchAsync(
        this ISubscriptionImportsClient client,
        string importId,
        PollingOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importId);
        options ??= new PollingOptions();
        await foreach (var change in Poller.ChangesAsync(Target(client, importId, options), options, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    private static PollTarget<SubscriptionImport> Target(ISubscriptionImportsClient client, string importId, PollingOptions options) => new()
    {
        ResourceKind = "import",
        ResourceId = importId,
        FetchAsync = async cancellationToken => (await client.GetImportAsync(importId, cancellationToken).ConfigureAwait(false)).Data,
        StatusOf = import => import.Status.Value,
        IsFinal = import => import.Status.IsTerminal || (options.TreatUnknownStatusAsTerminal && !import.Status.IsKnown),
        HasChanged = (previous, current) =>
            previous.Status != current.Status
            || !SameCounts(previous.Attributes?.Records?.Uploaded, current.Attributes?.Records?.Uploaded)
            || !SameCounts(previous.Attributes?.Records?.Imported, current.Attributes?.Records?.Imported),
    };

    private static bool SameCounts(IDictionary<string, long>? left, IDictionary<string, long>? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        return left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }
}
