using System.Globalization;
using Hangfire.Storage;

namespace BillingImports.Hangfire;

/// <summary>
/// What a wait's jobs have already done, in a hash of Hangfire's storage: the attempt of the
/// newest poll job created, and whether the completion job was. Written in the very transaction
/// that creates each job (<see cref="WaitLedgerAttribute"/>), so a job exists exactly when the
/// ledger says so; a poll job that runs again (its server died after scheduling the next one)
/// reads that it is behind and does nothing.
/// </summary>
internal sealed class WaitLedger(IStorageConnection connection, string waitId)
{
    public const string NextField = "next";
    public const string DoneField = "done";

    /// <summary>How long the ledger outlives its wait: far beyond any job re-run after a server died.</summary>
    public static readonly TimeSpan KeptAfterCompletion = TimeSpan.FromDays(7);

    /// <summary>The lock taken while a poll job checks the ledger and creates the next job.</summary>
    public string LockResource => Key(waitId) + ":lock";

    public static string Key(string waitId) => "billing-imports:wait:" + waitId;

    /// <summary>Whether a poll job from a checkpoint of <paramref name="attempt"/> polls comes too late: a later poll job or the completion exists.</summary>
    public bool IsPast(int attempt)
    {
        var entries = connection.GetAllEntriesFromHash(Key(waitId));
        if (entries is null)
        {
            return false;
        }

        if (entries.ContainsKey(DoneField))
        {
            return true;
        }

        return entries.TryGetValue(NextField, out var next)
            && int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out var newest)
            && newest > attempt;
    }
}
