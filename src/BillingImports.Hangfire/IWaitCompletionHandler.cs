namespace BillingImports.Hangfire;

/// <summary>
/// Told once when a wait started with <see cref="WaitScheduler"/> ends, in a Hangfire job of its
/// own, whatever the outcome: the resource done, an import failed (with its first failing lines),
/// the deadline passed, or an error. Resolved from the container of the server that runs the job.
/// </summary>
/// <remarks>
/// The completion job is created exactly once per wait. Like any Hangfire job it runs at least
/// once: a server that dies in the middle of this method has it run again elsewhere, so make what
/// it does safe to repeat (keyed on <see cref="WaitCompletion.WaitId"/>). An exception thrown here
/// is retried by Hangfire as usual.
/// </remarks>
public interface IWaitCompletionHandler
{
    /// <summary>Handles the end of a wait.</summary>
    /// <param name="completion">How the wait ended.</param>
    /// <param name="cancellationToken">Hangfire's shutdown token.</param>
    /// <returns>A task that completes when the completion is handled.</returns>
    Task OnWaitCompletedAsync(WaitCompletion completion, CancellationToken cancellationToken);
}
