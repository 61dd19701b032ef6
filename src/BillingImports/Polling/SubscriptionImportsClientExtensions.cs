using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>Waits on Elastic Path import jobs.</summary>
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
    public static async Task<SubscriptionImport> WaitForCompletionAsync(
        this ISubscriptionImportsClient client,
        string importUuid,
        PollingOptions? options = null,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(importUuid);
        options ??= new PollingOptions();
        SubscriptionImport? final = null;
        await foreach (var observation in Poller.ObserveAsync(Target(client, importUuid, options), options, cancellationToken).ConfigureAwait(false))
        {
            progress?.Report(new ImportProgress(observation.Value, observation.Attempt, observation.Elapsed));
            final = observation.Value;
        }

        // The loop ends only on a final state or by throwing, so final is set here.
        if (final!.Status == ImportStatus.Failed)
        {
            throw await FailedAsync(client, importUuid, final, options, cancellationToken).ConfigureAwait(false);
        }

        return final;
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
        await foreach (var change in Poller.ChangesAsync(Target(client, importUuid, options), options, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>
    /// The exception for a failed job, with its first failing lines when they can be read. Reading
    /// them is best effort: whatever goes wrong (an error answer, a timeout, even the caller's
    /// cancellation) is recorded on the exception, never thrown instead of it.
    /// </summary>
    private static async Task<ImportFailedException> FailedAsync(ISubscriptionImportsClient client, string importUuid, SubscriptionImport import, PollingOptions options, CancellationToken cancellationToken)
    {
        if (options.ImportErrorsOnFailure == 0)
        {
            return new ImportFailedException(import);
        }

        try
        {
            var errors = await client.GetFirstImportErrorsAsync(importUuid, options.ImportErrorsOnFailure, cancellationToken).ConfigureAwait(false);
            return new ImportFailedException(import, errors);
        }
        catch (Exception exception) when (exception is BillingImportsApiException or HttpRequestException or OperationCanceledException or ArgumentException)
        {
            return new ImportFailedException(import, importErrorsFailure: exception);
        }
    }

    private static PollTarget<SubscriptionImport> Target(ISubscriptionImportsClient client, string importUuid, PollingOptions options) => new()
    {
        ResourceKind = "import",
        ResourceId = importUuid,
        FetchAsync = cancellationToken => client.GetImportAsync(importUuid, cancellationToken),
        StatusOf = import => import.Status.Value,
        IsFinal = import => import.Status.IsDone || (options.TreatUnknownStatusAsTerminal && !import.Status.IsKnown),
        HasChanged = (previous, current) =>
            previous.Status != current.Status
            || previous.Records.Uploaded != current.Records.Uploaded
            || previous.Records.Imported != current.Records.Imported,
    };
}
