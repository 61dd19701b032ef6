using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>
/// The one polling algorithm behind every wait: <see cref="StepAsync{T}"/> polls once from a
/// checkpoint and says what comes next (backoff with jitter, <c>Retry-After</c> as a floor up to
/// <see cref="PollingOptions.MaxRetryAfter"/>, a budget of consecutive transient failures, an
/// absolute deadline distinct from cancellation), all on a <see cref="TimeProvider"/> so a 30-minute
/// wait runs in virtual time in tests. The waits in this process (<see cref="RunAsync{T, TResult}"/>,
/// <see cref="ChangesAsync{T}"/>) only sleep between steps; a job scheduler can do the same from
/// a stored checkpoint.
/// </summary>
/// <remarks>
/// The deadline bounds the whole wait: no poll starts at or after it, and a timer on the
/// <see cref="TimeProvider"/> cancels a poll still in flight at the deadline (a body that trickles in
/// forever, a token exchange that hangs), which then ends the wait as a timeout.
/// </remarks>
internal static class Poller
{
    /// <summary>
    /// Polls once. Never throws for the wait's own outcomes (a failed import, a timeout, an API
    /// error): they come back as a final step. Throws <see cref="OperationCanceledException"/> when
    /// the caller cancels, and whatever a client outside the SDK throws that is not an HTTP failure.
    /// </summary>
    /// <param name="target">The resource.</param>
    /// <param name="checkpoint">Where the wait stands; validated by the caller.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="lastObserved">The last state a wait in this process saw, for a timeout's <see cref="PollingTimeoutException{TResource}.LastObserved"/>.</param>
    /// <param name="lastFailure">The failure of the previous poll, for a timeout that ends the wait before this one.</param>
    /// <param name="readFailureDetails">Whether a failed import's first failing lines are read.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    public static async Task<WaitStep<T>> StepAsync<T>(
        PollTarget<T> target,
        WaitCheckpoint checkpoint,
        PollingOptions options,
        T? lastObserved,
        Exception? lastFailure,
        bool readFailureDetails,
        CancellationToken cancellationToken)
        where T : class
    {
        cancellationToken.ThrowIfCancellationRequested();
        var time = options.TimeProvider;
        var deadline = checkpoint.Deadline;
        if (deadline is { } due && time.GetUtcNow() >= due)
        {
            // The pause ran to the deadline: a poll now would be cancelled as it starts.
            return TimedOut(target, checkpoint, null, time, lastObserved, lastFailure);
        }

        var polled = checkpoint with { Attempt = checkpoint.Attempt == int.MaxValue ? int.MaxValue : checkpoint.Attempt + 1 };
        T? value = null;
        Exception? failure = null;
        var cutShort = false;
        var deadlineTimer = deadline is { } end ? new CancellationTokenSource(Timers.Clamp(end - time.GetUtcNow()), time) : null;
        var pollCancellation = deadlineTimer is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineTimer.Token);
        try
        {
            value = await (target.Gate is null ? target.FetchAsync(pollCancellation?.Token ?? cancellationToken) : target.PollAsync(pollCancellation?.Token ?? cancellationToken)).ConfigureAwait(false);
        }
        catch (BillingImportsApiException exception) when (exception.IsTransient)
        {
            failure = exception;
        }
        catch (HttpRequestException exception)
        {
            // A connection that failed before any HTTP answer; the SDK's transport wraps these, a
            // consumer's own HttpClient may not.
            failure = exception;
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, or the wait's own deadline, surfaces as a cancellation the caller
            // did not ask for: a transient timeout.
            failure = exception;
        }
        catch (BillingImportsApiException exception)
        {
            // 404, 401, 422: polling again cannot help.
            return Final(target, WaitOutcome.Error, polled, null, time, exception);
        }
        finally
        {
            cutShort = deadlineTimer?.IsCancellationRequested == true;
            pollCancellation?.Dispose();
            deadlineTimer?.Dispose();
        }

        if (value is null && cutShort)
        {
            // The deadline cut the poll short: a slow poll is a transient timeout, and the wait is over.
            return TimedOut(target, polled, null, time, lastObserved, InFlight(target, failure));
        }

        TimeSpan? floor = null;
        if (value is not null)
        {
            polled = target.Observed(polled, value) with { ConsecutiveTransientFailures = 0 };
            lastObserved = value;
            if (target.IsFinal(value, options))
            {
                return target.IsFailed(value)
                    ? Final(target, WaitOutcome.Failed, polled, value, time, await target.FailureAsync(value, options, readFailureDetails, cancellationToken).ConfigureAwait(false))
                    : Final(target, WaitOutcome.Succeeded, polled, value, time, null);
            }
        }
        else
        {
            var failures = checkpoint.ConsecutiveTransientFailures == int.MaxValue ? int.MaxValue : checkpoint.ConsecutiveTransientFailures + 1;
            polled = polled with { ConsecutiveTransientFailures = failures };
            if (failures > options.MaxConsecutiveTransientFailures)
            {
                return Final(target, WaitOutcome.Error, polled, null, time, failure);
            }

            // A server may ask for any pause, years even; Task.Delay would throw on it.
            floor = (failure as BillingImportsApiException)?.RetryAfter is { } requested
                ? (requested > options.MaxRetryAfter ? options.MaxRetryAfter : requested)
                : null;
        }

        // A checkpoint from a process with other options may carry a longer interval than these allow.
        var interval = checkpoint.Interval > options.MaxInterval ? options.MaxInterval : checkpoint.Interval;
        var delay = Jitter.Apply(interval, options.Jitter);
        if (floor is { } retryAfter && retryAfter > delay)
        {
            delay = retryAfter;
        }

        if (deadline is { } limit)
        {
            var remaining = limit - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero || (floor is { } minimum && minimum > remaining))
            {
                // Out of time, or the server asked for a pause that ends after the deadline.
                return TimedOut(target, polled, value, time, lastObserved, failure);
            }

            if (delay > remaining)
            {
                delay = remaining;
            }
        }

        polled = polled with { Interval = Next(interval, options) };
        return new WaitStep<T>(WaitOutcome.Pending, polled, value, delay, time.GetUtcNow() - checkpoint.StartedAt, failure);
    }

    /// <summary>
    /// Polls until the wait ends and hands its final step to <paramref name="end"/>, reporting every
    /// successful poll to the target. One span covers the wait; the HTTP spans of its polls nest
    /// under it. The ending is a parameter so that a wait parked between polls is one state machine,
    /// whether it throws its outcome (<c>WaitForCompletionAsync</c>) or returns it (many waits).
    /// </summary>
    public static async Task<TResult> RunAsync<T, TResult>(PollTarget<T> target, WaitCheckpoint checkpoint, PollingOptions options, Func<WaitStep<T>, TResult> end, CancellationToken cancellationToken)
        where T : class
    {
        using var activity = WaitTelemetry.StartWait(target.Kind, target.ResourceId);
        T? last = null;
        Exception? lastFailure = null;
        WaitStep<T> step;
        try
        {
            while (true)
            {
                step = await StepAsync(target, checkpoint, options, last, lastFailure, readFailureDetails: true, cancellationToken).ConfigureAwait(false);
                WaitTelemetry.Polled(activity, step);
                if (step.Resource is { } value)
                {
                    last = value;
                    target.Report(step);
                }

                target.Stepped?.Invoke(step);
                if (step.IsFinal)
                {
                    break;
                }

                lastFailure = step.Exception;
                checkpoint = step.Checkpoint;
                await Task.Delay(step.Delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            Abandoned(target, checkpoint, options, activity, exception);
            throw;
        }

        return end(step);
    }

    /// <summary>The ending of a single wait: the resource on success, else the outcome's exception, thrown.</summary>
    public static T ResourceOrThrow<T>(WaitStep<T> step)
        where T : class
    {
        if (step.Outcome != WaitOutcome.Succeeded)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(step.Exception!);
        }

        return step.Resource!;
    }

    /// <summary>
    /// Polls until the wait ends, yielding each state that differs from the one before, starting
    /// with the first. A failed import is yielded, not thrown, and its failing lines are not read;
    /// a timeout or an error ends the sequence with its exception.
    /// </summary>
    public static async IAsyncEnumerable<T> ChangesAsync<T>(
        PollTarget<T> target,
        WaitCheckpoint checkpoint,
        PollingOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        using var activity = WaitTelemetry.StartWait(target.Kind, target.ResourceId);
        T? last = null;
        Exception? lastFailure = null;
        var ended = false;
        try
        {
            while (true)
            {
                // Each MoveNextAsync starts from the caller's context, so the wait's span is made
                // current again here for the HTTP spans of this poll to nest under it.
                if (activity is not null)
                {
                    Activity.Current = activity;
                }

                WaitStep<T> step;
                try
                {
                    step = await StepAsync(target, checkpoint, options, last, lastFailure, readFailureDetails: false, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    ended = true;
                    Abandoned(target, checkpoint, options, activity, exception);
                    throw;
                }

                WaitTelemetry.Polled(activity, step);
                if (step.Resource is { } value)
                {
                    var changed = last is null || target.HasChanged(last, value);
                    last = value;
                    if (changed)
                    {
                        yield return value;
                    }
                }

                if (step.IsFinal)
                {
                    ended = true;
                    if (step.Outcome is WaitOutcome.TimedOut or WaitOutcome.Error)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(step.Exception!);
                    }

                    yield break;
                }

                lastFailure = step.Exception;
                checkpoint = step.Checkpoint;
                try
                {
                    await Task.Delay(step.Delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException exception)
                {
                    ended = true;
                    Abandoned(target, checkpoint, options, activity, exception);
                    throw;
                }
            }
        }
        finally
        {
            if (!ended)
            {
                // The caller stopped reading before the wait ended.
                Abandoned(target, checkpoint, options, activity, null);
            }
        }
    }

    /// <summary>A wait that ended without an outcome of its own: cancelled or abandoned, or an exception from outside the SDK.</summary>
    private static void Abandoned<T>(PollTarget<T> target, WaitCheckpoint checkpoint, PollingOptions options, Activity? activity, Exception? exception)
        where T : class
    {
        WaitTelemetry.Abandoned(activity, exception);
        var outcome = exception is null or OperationCanceledException ? WaitTelemetry.Cancelled : WaitTelemetry.Name(WaitOutcome.Error);
        WaitTelemetry.Ended(target.Kind, outcome, options.TimeProvider.GetUtcNow() - checkpoint.StartedAt, checkpoint.Attempt);
    }

    private static WaitStep<T> Final<T>(PollTarget<T> target, WaitOutcome outcome, WaitCheckpoint checkpoint, T? value, TimeProvider time, Exception? exception)
        where T : class
    {
        var elapsed = time.GetUtcNow() - checkpoint.StartedAt;
        WaitTelemetry.Ended(target.Kind, WaitTelemetry.Name(outcome), elapsed, checkpoint.Attempt);
        return new WaitStep<T>(outcome, checkpoint, value, TimeSpan.Zero, elapsed, exception);
    }

    /// <summary>The final step of a wait whose deadline passed: the typed timeout, with the last state seen.</summary>
    private static WaitStep<T> TimedOut<T>(PollTarget<T> target, WaitCheckpoint after, T? polledValue, TimeProvider time, T? last, Exception? failure)
        where T : class
    {
        var elapsed = time.GetUtcNow() - after.StartedAt;
        var seen = after.LastStatus is { } status ? $"last status '{status}'" : "no successful poll";
        var timeout = after.Deadline is { } deadline ? deadline - after.StartedAt : Timeout.InfiniteTimeSpan;
        var message = string.Create(CultureInfo.InvariantCulture, $"Waiting for {WaitTelemetry.Name(target.Kind)} {target.ResourceId} timed out after {timeout} and {after.Attempt} polls ({seen}).");
        var exception = new PollingTimeoutException<T>(message, target.ResourceId, after.Attempt, elapsed, last, failure);
        return Final(target, WaitOutcome.TimedOut, after, polledValue, time, exception);
    }

    /// <summary>A poll the deadline cancelled, as the transient timeout it is.</summary>
    private static Exception InFlight<T>(PollTarget<T> target, Exception? failure)
        where T : class =>
        failure is OperationCanceledException or null
            ? new BillingImportsApiException($"The poll of {WaitTelemetry.Name(target.Kind)} {target.ResourceId} was still in flight when the wait timed out.", ApiErrorKind.Timeout, 0, failure)
            : failure;

    private static TimeSpan Next(TimeSpan interval, PollingOptions options) =>
        TimeSpan.FromTicks((long)Math.Min(interval.Ticks * options.BackoffFactor, options.MaxInterval.Ticks));
}
