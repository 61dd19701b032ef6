namespace BillingImports;

/// <summary>
/// What the polling loop needs to know about the resource it polls. One object per wait, holding
/// the client, the id and what to report to, so that a wait parked between polls holds no delegates.
/// </summary>
/// <typeparam name="T">The resource type.</typeparam>
internal abstract class PollTarget<T>(string resourceId)
    where T : class
{
    public abstract WaitResourceKind Kind { get; }

    public string ResourceId { get; } = resourceId;

    /// <summary>Bounds the polls in flight of a wait of many (<see cref="FleetWaiter"/>); null for a single wait.</summary>
    public SemaphoreSlim? Gate { get; init; }

    /// <summary>Reads the resource once, after taking a place at the gate when there is one (within the poll's own deadline).</summary>
    public async Task<T> PollAsync(CancellationToken cancellationToken)
    {
        if (Gate is not { } gate)
        {
            return await FetchAsync(cancellationToken).ConfigureAwait(false);
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FetchAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads the resource once.</summary>
    public abstract Task<T> FetchAsync(CancellationToken cancellationToken);

    /// <summary>The status as sent, for telemetry, messages and checkpoints.</summary>
    public abstract string StatusOf(T value);

    /// <summary>Whether the state is final: done, failed or, by option, unknown.</summary>
    public abstract bool IsFinal(T value, PollingOptions options);

    /// <summary>Whether a final state is a failure (an import's <c>failed</c>).</summary>
    public abstract bool IsFailed(T value);

    /// <summary>Whether a state differs from the previous one in a way a watcher cares about.</summary>
    public abstract bool HasChanged(T previous, T current);

    /// <summary>The checkpoint after a successful poll: its status and, for an import, its record counts.</summary>
    public abstract WaitCheckpoint Observed(WaitCheckpoint checkpoint, T value);

    /// <summary>The exception for a failed final state; <paramref name="readDetails"/> asks for what a failure carries (an import's failing lines).</summary>
    public virtual Task<Exception> FailureAsync(T value, PollingOptions options, bool readDetails, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"A {Kind} has no failed state.");

    /// <summary>Called with every step of a wait of many (<see cref="FleetWaiter"/>); null for a single wait.</summary>
    public Action<WaitStep<T>>? Stepped { get; init; }

    /// <summary>Reports a successful poll to the caller's progress, if any.</summary>
    public virtual void Report(WaitStep<T> step)
    {
    }
}
