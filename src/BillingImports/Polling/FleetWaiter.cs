using System.Threading.Channels;

namespace BillingImports;

/// <summary>
/// Many waits at once on one client: each runs the single-wait loop, sharing the client's
/// connections and request rate limit, and each ends in its own <see cref="WaitResult{TResource}"/>
/// whatever the others do. A wait is one task parked on a timer between polls, not a thread.
/// </summary>
internal static class FleetWaiter
{
    /// <summary>
    /// The most polls of one set of waits in flight at once. The rest wait for a place before their
    /// request is built, which costs a few bytes instead of a request in the client's queue, and
    /// keeps 10,000 waits from flooding the thread pool with requests that will wait seconds for
    /// their turn anyway (delaying the ones whose turn it is). Enough for any documented vendor
    /// rate: 128 polls in flight sustain 400 a second at 300 ms a poll.
    /// </summary>
    public const int MaxPollsInFlight = 128;

    /// <summary>Validated, distinct ids in the order given.</summary>
    public static IReadOnlyList<string> Ids(IEnumerable<string> ids, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(ids, parameterName);
        var list = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new ArgumentException("An id is null, empty or white space.", parameterName);
            }

            if (!seen.Add(id))
            {
                throw new ArgumentException($"The id {id} is given twice; each resource is waited for once.", parameterName);
            }

            list.Add(id);
        }

        return list;
    }

    public static async Task<WaitAllResult<T>> WaitAllAsync<T>(
        IReadOnlyList<string> ids,
        Func<string, Action<WaitStep<T>>, SemaphoreSlim, PollTarget<T>> target,
        Func<string, PollingOptions, WaitCheckpoint> start,
        PollingOptions options,
        IProgress<WaitAllProgress>? progress,
        CancellationToken cancellationToken)
        where T : class
    {
        var tracker = new Tracker<T>(ids, id => start(id, options), progress, updates: null);
        using var gate = new SemaphoreSlim(MaxPollsInFlight, MaxPollsInFlight);
        await Task.WhenAll(ids.Select((id, index) => RunOneAsync(tracker, index, target(id, step => tracker.Stepped(index, step), gate), options, cancellationToken))).ConfigureAwait(false);
        return new WaitAllResult<T>(tracker.Results, tracker.Progress);
    }

    public static async IAsyncEnumerable<WaitUpdate<T>> WatchManyAsync<T>(
        IReadOnlyList<string> ids,
        Func<string, Action<WaitStep<T>>, SemaphoreSlim, PollTarget<T>> target,
        Func<string, PollingOptions, WaitCheckpoint> start,
        PollingOptions options,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        if (ids.Count == 0)
        {
            yield break;
        }

        // Unbounded, so that updates are written in order under the tracker's lock and no wait ever
        // blocks on a slow reader; an update is a hundred bytes, a wait makes a few.
        var updates = Channel.CreateUnbounded<WaitUpdate<T>>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tracker = new Tracker<T>(ids, id => start(id, options), progress: null, updates.Writer);
        using var gate = new SemaphoreSlim(MaxPollsInFlight, MaxPollsInFlight);
        var all = Task.WhenAll(ids.Select((id, index) => RunOneAsync(tracker, index, target(id, step => tracker.Stepped(index, step), gate), options, stop.Token)));
        _ = all.ContinueWith(static (task, state) => ((ChannelWriter<WaitUpdate<T>>)state!).TryComplete(task.Exception?.InnerException), updates.Writer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var update in updates.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            // A reader that stops early ends the waits it leaves behind.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await all.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The waits this reader stopped.
            }
        }
    }

    private static async Task RunOneAsync<T>(Tracker<T> tracker, int index, PollTarget<T> target, PollingOptions options, CancellationToken cancellationToken)
        where T : class
    {
        // Off the caller's thread at once, so that starting 10,000 waits does not run 10,000 first
        // polls' synchronous parts before the first one is awaited.
        await Task.Yield();
        try
        {
            await Poller.RunAsync(target, tracker.Checkpoint(index), options, static step => step, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A wait's own failure, whatever its type, is its result; it must not end the others.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            tracker.Errored(index, exception);
        }
    }

    /// <summary>The latest result of every wait and the totals, updated as steps come in.</summary>
    private sealed class Tracker<T>
        where T : class
    {
        private readonly Lock _gate = new();
        private readonly WaitResult<T>[] _results;
        private readonly IProgress<WaitAllProgress>? _progress;
        private readonly ChannelWriter<WaitUpdate<T>>? _updates;
        private WaitAllProgress _totals;

        public Tracker(IReadOnlyList<string> ids, Func<string, WaitCheckpoint> start, IProgress<WaitAllProgress>? progress, ChannelWriter<WaitUpdate<T>>? updates)
        {
            _results = [.. ids.Select(id => new WaitResult<T>(id, WaitOutcome.Pending, null, null, start(id)))];
            _progress = progress;
            _updates = updates;
            _totals = new WaitAllProgress(ids.Count, 0, 0, 0, 0, 0, 0);
        }

        public WaitResult<T>[] Results
        {
            get
            {
                lock (_gate)
                {
                    return [.. _results];
                }
            }
        }

        public WaitAllProgress Progress
        {
            get
            {
                lock (_gate)
                {
                    return _totals;
                }
            }
        }

        public WaitCheckpoint Checkpoint(int index)
        {
            lock (_gate)
            {
                return _results[index].Checkpoint;
            }
        }

        /// <summary>A step of one wait: a change of state or an end is reported, a poll that changed nothing is not.</summary>
        public void Stepped(int index, WaitStep<T> step)
        {
            lock (_gate)
            {
                var previous = _results[index];
                var resource = step.Resource ?? previous.Resource;
                var changed = step.IsFinal
                    || (step.Resource is not null && (previous.Resource is null || previous.Checkpoint.LastStatus != step.Checkpoint.LastStatus
                        || previous.Checkpoint.Imported != step.Checkpoint.Imported || previous.Checkpoint.Uploaded != step.Checkpoint.Uploaded));
                var exception = step.IsFinal ? step.Exception : null;
                var current = new WaitResult<T>(previous.ResourceId, step.Outcome, resource, exception, step.Checkpoint);
                _results[index] = current;
                if (!changed)
                {
                    return;
                }

                Publish(previous, current);
            }
        }

        public void Errored(int index, Exception exception)
        {
            lock (_gate)
            {
                var previous = _results[index];
                var current = new WaitResult<T>(previous.ResourceId, WaitOutcome.Error, previous.Resource, exception, previous.Checkpoint);
                _results[index] = current;
                Publish(previous, current);
            }
        }

        /// <summary>Under the lock, so that totals are reported in the order they were reached.</summary>
        private void Publish(WaitResult<T> previous, WaitResult<T> current)
        {
            _totals = Totals(_totals, previous, current);
            _progress?.Report(_totals);
            _updates?.TryWrite(new WaitUpdate<T>(current, _totals));
        }

        private static WaitAllProgress Totals(WaitAllProgress totals, WaitResult<T> previous, WaitResult<T> current) => totals with
        {
            Succeeded = totals.Succeeded + Ended(current, WaitOutcome.Succeeded) - Ended(previous, WaitOutcome.Succeeded),
            Failed = totals.Failed + Ended(current, WaitOutcome.Failed) - Ended(previous, WaitOutcome.Failed),
            TimedOut = totals.TimedOut + Ended(current, WaitOutcome.TimedOut) - Ended(previous, WaitOutcome.TimedOut),
            Errors = totals.Errors + Ended(current, WaitOutcome.Error) - Ended(previous, WaitOutcome.Error),
            Imported = totals.Imported + (current.Checkpoint.Imported ?? 0) - (previous.Checkpoint.Imported ?? 0),
            Uploaded = totals.Uploaded + (current.Checkpoint.Uploaded ?? 0) - (previous.Checkpoint.Uploaded ?? 0),
        };

        private static int Ended(WaitResult<T> result, WaitOutcome outcome) => result.Outcome == outcome ? 1 : 0;
    }
}
