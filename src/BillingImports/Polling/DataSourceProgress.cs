namespace BillingImports;

/// <summary>A progress report from a wait on a ChartMogul data source.</summary>
/// <param name="DataSource">The state just observed.</param>
/// <param name="Attempt">The poll number, from 1.</param>
/// <param name="Elapsed">Time since the wait started.</param>
public sealed record DataSourceProgress(DataSource DataSource, int Attempt, TimeSpan Elapsed)
{
    /// <summary>
    /// The wait's checkpoint after this poll: store it, and a wait resumed from it elsewhere
    /// (<c>ResumeWaitAsync</c>) keeps the deadline and the poll count.
    /// Null on a report built outside a wait.
    /// </summary>
    public WaitCheckpoint? Checkpoint { get; init; }

    /// <summary>The data source status.</summary>
    public DataSourceStatus Status => DataSource.Status;
}
