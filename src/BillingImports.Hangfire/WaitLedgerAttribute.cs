using System.Globalization;
using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace BillingImports.Hangfire;

/// <summary>
/// Records a wait job in the wait's <see cref="WaitLedger"/> as it is created, inside the
/// transaction that gives the job its first state: the ledger and the job are written together or
/// not at all.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class WaitLedgerAttribute : JobFilterAttribute, IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        // Only a job's first state is its creation; later ones (processing, succeeded) change nothing.
        if (context.OldStateName is not null
            || context.BackgroundJob.Job is not { Args.Count: >= 2 } job
            || job.Args[0] is not string waitId
            || job.Args[1] is not string payload)
        {
            return;
        }

        var key = WaitLedger.Key(waitId);
        if (job.Method.Name == nameof(WaitJobs.PollAsync))
        {
            var attempt = WaitCheckpoint.FromJson(payload).Attempt.ToString(CultureInfo.InvariantCulture);
            transaction.SetRangeInHash(key, [new(WaitLedger.NextField, attempt)]);
        }
        else if (job.Method.Name == nameof(WaitJobs.CompleteAsync))
        {
            transaction.SetRangeInHash(key, [new(WaitLedger.DoneField, "1")]);
            if (transaction is JobStorageTransaction expiring)
            {
                try
                {
                    expiring.ExpireHash(key, WaitLedger.KeptAfterCompletion);
                }
                catch (NotSupportedException)
                {
                    // A storage without expiring hashes keeps the ledger; it is a few bytes a wait.
                }
            }
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
