namespace BillingImports;

/// <summary>
/// How a set of waits is doing (<c>WaitForAllAsync</c>, <c>WatchManyAsync</c>): how many ended and
/// how, and for imports the records imported of those uploaded, summed over the latest state of
/// each import.
/// </summary>
/// <param name="Total">How many waits there are.</param>
/// <param name="Succeeded">Waits that ended with the resource done.</param>
/// <param name="Failed">Imports that ended <c>failed</c>.</param>
/// <param name="TimedOut">Waits whose deadline passed first.</param>
/// <param name="Errors">Waits an error ended (a 404, the transient budget spent, ...).</param>
/// <param name="Imported">Records imported so far over all the imports; 0 for data sources.</param>
/// <param name="Uploaded">Records uploaded over all the imports; 0 for data sources.</param>
public sealed record WaitAllProgress(int Total, int Succeeded, int Failed, int TimedOut, int Errors, long Imported, long Uploaded)
{
    /// <summary>Waits that ended, however they ended.</summary>
    public int Done => Succeeded + Failed + TimedOut + Errors;

    /// <summary>Waits still going.</summary>
    public int Pending => Total - Done;

    /// <summary>Whether every wait ended.</summary>
    public bool IsComplete => Done == Total;
}
