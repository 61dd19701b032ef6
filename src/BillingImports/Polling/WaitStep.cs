namespace BillingImports;

/// <summary>
/// One poll of a wait: the state it read, whether the wait is over and how, the delay before the
/// next poll (backoff, jitter and the server's <c>Retry-After</c> applied), and the checkpoint to
/// poll from next time, in this process or another.
/// </summary>
/// <typeparam name="TResource">The resource waited for: <see cref="SubscriptionImport"/> or <see cref="DataSource"/>.</typeparam>
/// <example>
/// <code>
/// var checkpoint = WaitCheckpoint.ForImport(importId);
/// while (true)
/// {
///     var step = await imports.PollOnceAsync(checkpoint, cancellationToken: cancellationToken);
///     await store.SaveAsync(step.Checkpoint);   // a restart resumes from here
///     if (step.IsFinal) break;
///     await Task.Delay(step.Delay, cancellationToken);
///     checkpoint = step.Checkpoint;
/// }
/// </code>
/// </example>
public sealed class WaitStep<TResource>
    where TResource : class
{
    internal WaitStep(WaitOutcome outcome, WaitCheckpoint checkpoint, TResource? resource, TimeSpan delay, TimeSpan elapsed, Exception? exception)
    {
        Outcome = outcome;
        Checkpoint = checkpoint;
        Resource = resource;
        Delay = delay;
        Elapsed = elapsed;
        Exception = exception;
    }

    /// <summary><see cref="WaitOutcome.Pending"/> while the wait goes on; otherwise how it ended.</summary>
    public WaitOutcome Outcome { get; }

    /// <summary>Whether the wait is over: no further poll is due.</summary>
    public bool IsFinal => Outcome != WaitOutcome.Pending;

    /// <summary>
    /// The state this poll read; null when the poll failed, or when none was made because the
    /// deadline had passed.
    /// </summary>
    public TResource? Resource { get; }

    /// <summary>How long to wait before the next poll; zero when the wait is over.</summary>
    public TimeSpan Delay { get; }

    /// <summary>How long the wait has run, from <see cref="WaitCheckpoint.StartedAt"/> to the end of this poll.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The checkpoint after this poll: pass it to the next poll, or store it.</summary>
    public WaitCheckpoint Checkpoint { get; }

    /// <summary>
    /// Why the wait ended when it did not succeed: <see cref="ImportFailedException"/> (with the
    /// first failing lines), <see cref="PollingTimeoutException{TResource}"/>, or the
    /// <see cref="BillingImportsApiException"/> that ended it. While the wait goes on, the transient
    /// failure this poll rode through, if any. Null after a successful poll.
    /// </summary>
    public Exception? Exception { get; }
}
