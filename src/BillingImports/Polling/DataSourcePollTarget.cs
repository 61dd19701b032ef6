namespace BillingImports;

/// <summary>A ChartMogul data source as a <see cref="PollTarget{T}"/>.</summary>
internal sealed class DataSourcePollTarget(IDataSourcesClient client, string dataSourceUuid, IProgress<DataSourceProgress>? progress = null)
    : PollTarget<DataSource>(dataSourceUuid)
{
    public override WaitResourceKind Kind => WaitResourceKind.DataSource;

    public override Task<DataSource> FetchAsync(CancellationToken cancellationToken) =>
        client.GetDataSourceAsync(ResourceId, cancellationToken: cancellationToken);

    public override string StatusOf(DataSource value) => value.Status.Value;

    public override bool IsFinal(DataSource value, PollingOptions options) =>
        value.Status.IsDone || (options.TreatUnknownStatusAsTerminal && !value.Status.IsKnown);

    // A data source has no failed status.
    public override bool IsFailed(DataSource value) => false;

    public override bool HasChanged(DataSource previous, DataSource current) => previous.Status != current.Status;

    public override WaitCheckpoint Observed(WaitCheckpoint checkpoint, DataSource value) => checkpoint with { LastStatus = value.Status.Value };

    public override void Report(WaitStep<DataSource> step) =>
        progress?.Report(new DataSourceProgress(step.Resource!, step.Checkpoint.Attempt, step.Elapsed) { Checkpoint = step.Checkpoint });
}
