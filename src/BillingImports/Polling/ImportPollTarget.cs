namespace BillingImports;

/// <summary>An Elastic Path import job as a <see cref="PollTarget{T}"/>.</summary>
internal sealed class ImportPollTarget(ISubscriptionImportsClient client, string importUuid, IProgress<ImportProgress>? progress = null)
    : PollTarget<SubscriptionImport>(importUuid)
{
    public override WaitResourceKind Kind => WaitResourceKind.Import;

    public override Task<SubscriptionImport> FetchAsync(CancellationToken cancellationToken) => client.GetImportAsync(ResourceId, cancellationToken);

    public override string StatusOf(SubscriptionImport value) => value.Status.Value;

    public override bool IsFinal(SubscriptionImport value, PollingOptions options) =>
        value.Status.IsDone || (options.TreatUnknownStatusAsTerminal && !value.Status.IsKnown);

    public override bool IsFailed(SubscriptionImport value) => value.Status == ImportStatus.Failed;

    public override bool HasChanged(SubscriptionImport previous, SubscriptionImport current) =>
        previous.Status != current.Status
        || previous.Records.Uploaded != current.Records.Uploaded
        || previous.Records.Imported != current.Records.Imported;

    public override WaitCheckpoint Observed(WaitCheckpoint checkpoint, SubscriptionImport value) => checkpoint with
    {
        LastStatus = value.Status.Value,
        Imported = value.Records.Imported.Total,
        Uploaded = value.Records.Uploaded.Total,
    };

    /// <summary>
    /// The exception for a failed job, with its first failing lines when asked for and readable.
    /// Reading them is best effort: whatever goes wrong (an error answer, a timeout, even the
    /// caller's cancellation) is recorded on the exception, never thrown instead of it.
    /// </summary>
    public override async Task<Exception> FailureAsync(SubscriptionImport value, PollingOptions options, bool readDetails, CancellationToken cancellationToken)
    {
        if (!readDetails || options.ImportErrorsOnFailure == 0)
        {
            return new ImportFailedException(value);
        }

        try
        {
            var errors = await client.GetFirstImportErrorsAsync(ResourceId, options.ImportErrorsOnFailure, cancellationToken).ConfigureAwait(false);
            return new ImportFailedException(value, errors);
        }
        catch (Exception exception) when (exception is BillingImportsApiException or HttpRequestException or OperationCanceledException or ArgumentException)
        {
            return new ImportFailedException(value, importErrorsFailure: exception);
        }
    }

    public override void Report(WaitStep<SubscriptionImport> step) =>
        progress?.Report(new ImportProgress(step.Resource!, step.Checkpoint.Attempt, step.Elapsed) { Checkpoint = step.Checkpoint });
}
