using System.Collections;

namespace BillingImports;

/// <summary>
/// The outcome of every wait of <c>WaitForAllAsync</c>, in the order the ids were given, with the
/// totals: a failed import, a timeout or an error in one wait is its own result and hides no other.
/// </summary>
/// <typeparam name="TResource">The resource waited for: <see cref="SubscriptionImport"/> or <see cref="DataSource"/>.</typeparam>
public sealed class WaitAllResult<TResource> : IReadOnlyList<WaitResult<TResource>>
    where TResource : class
{
    private readonly WaitResult<TResource>[] _results;

    internal WaitAllResult(WaitResult<TResource>[] results, WaitAllProgress progress)
    {
        _results = results;
        Progress = progress;
    }

    /// <summary>The totals: succeeded, failed, timed out, errors, records imported of uploaded.</summary>
    public WaitAllProgress Progress { get; }

    /// <summary>Whether every wait succeeded.</summary>
    public bool AllSucceeded => Progress.Succeeded == Progress.Total;

    /// <inheritdoc />
    public int Count => _results.Length;

    /// <inheritdoc />
    public WaitResult<TResource> this[int index] => _results[index];

    /// <summary>The results with the given outcome, in the order the ids were given.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The matching results.</returns>
    public IReadOnlyList<WaitResult<TResource>> WithOutcome(WaitOutcome outcome) => [.. _results.Where(result => result.Outcome == outcome)];

    /// <inheritdoc />
    public IEnumerator<WaitResult<TResource>> GetEnumerator() => ((IEnumerable<WaitResult<TResource>>)_results).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
