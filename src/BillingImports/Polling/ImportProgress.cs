namespace BillingImports;

/// <summary>A progress report from a wait on an Elastic Path import.</summary>
/// <param name="Import">The state just observed.</param>
/// <param name="Attempt">The poll number, from 1.</param>
/// <param name="Elapsed">Time since the wait started.</param>
public sealed record ImportProgress(SubscriptionImport Import, int Attempt, TimeSpan Elapsed)
{
    /// <summary>
    /// The wait's checkpoint after this poll: store it, and a wait resumed from it elsewhere
    /// (<c>ResumeWaitAsync</c>) keeps the deadline and the poll count.
    /// Null on a report built outside a wait.
    /// </summary>
    public WaitCheckpoint? Checkpoint { get; init; }

    /// <summary>The job status.</summary>
    public ImportStatus Status => Import.Status;

    /// <summary>Records uploaded, over all record types.</summary>
    public long Uploaded => Import.Records.Uploaded.Total;

    /// <summary>Records imported so far, over all record types.</summary>
    public long Imported => Import.Records.Imported.Total;

    /// <summary>Imported as a fraction of uploaded, from 0 to 1; null while nothing is uploaded.</summary>
    public double? Fraction => Uploaded > 0 ? Math.Clamp((double)Imported / Uploaded, 0, 1) : null;
}
