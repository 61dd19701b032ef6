using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace BillingImports;

/// <summary>What a wait needs to know about the resource it polls.</summary>
/// <typeparam name="T">The resource type.</typeparam>
internal sealed class PollTarget<T>
    where T : class
{
    public required string ResourceKind { get; init; }

    public required string ResourceId { get; init; }

    public required Func<CancellationToken, Task<T>> FetchAsync { get; init; }

    /// <summary>The status as sent, for telemetry and messages.</summary>
    public required Func<T, string> StatusOf { get; init; }

    /// <summary>Whether the state is final (done, failed or, by option, unknown).</summary>
    public required Func<T, bool> IsFinal { get; init; }

    /// <summary>Whether a state differs from the previous one in a way a watcher cares about.</summary>
    public required Func<T, T, bool> HasChanged { get; init; }
}

/// <summary>One successful poll.</summary>
internal readonly record struct Observation<T>(T Value, int Attempt, TimeSpan Elapsed, bool IsFinal, bool IsChange);

/// <summary>
/// The polling loop behind every wait and watch: backoff with jitter, <c>Retry-After</c> as a floor,
/// a budget of consecutive transient failures, an overall timeout distinct from cancellation, all
/// on a <see cref="TimeProvider"/> so a 30-minute wait runs in virtual time in tests.
/// </summary>
/// <remarks>
/// The timeout bounds the whole wait: it is checked between polls, and a timer on the
/// <see cref="TimeProvider"/> also cancels a poll still in flight at the deadline (a poll whose body
/// trickles in forever, a token exchange that hangs), which then ends the wait as a timeout. No poll
/// starts at or after the deadline.
/// </remarks>
internal static class Poller
{
    /// <summary>
    /// Polls until the state is final, yielding every successful poll. Throws
    /// <see cref="PollingTimeoutException"/> when <see cref="PollingOptions.Timeout"/> runs out, the
    /// last transient failure when the budget is spent, any other failure at once.
    /// </summary>
    public static async IAsyncEnumerable<Observation<T>> ObserveAsync<T>(
        PollTarget<T> target,
        PollingOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        options.Validate();
        var time = options.TimeProvider;
        var started = time.GetTimestamp();
        using var activity = BillingImportsDiagnostics.ActivitySource.StartActivity($"BillingImports.Wait {target.ResourceKind}", ActivityKind.Internal);
        activity?.SetTag("billing_imports.resource.kind", target.ResourceKind);
        activity?.SetTag("billing_imports.resource.id", target.ResourceId);

        // A CancellationTokenSource on the TimeProvider, so fake clocks in tests drive the deadline too.
        using var deadline = options.Timeout == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(options.Timeout, time);
        using var pollCancellation = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var pollToken = pollCancellation?.Token ?? cancellationToken;

        T? last = null;
        var attempt = 0;
        var transientFailures = 0;
        var interval = options.InitialInterval;
        while (true)
        {
            attempt++;

            // Each MoveNextAsync starts from the caller's context, so the wait's span is made current
            // again here for the HTTP spans of this poll to nest under it.
            if (activity is not null)
            {
                Activity.Current = activity;
            }

            var (value, failure) = await TryFetchAsync(target, pollToken, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("billing_imports.wait.attempts", attempt);
            if (value is null && deadline?.IsCancellationRequested == true)
            {
                // The deadline cut the poll short: a slow poll is a transient timeout, and the wait is over.
                activity?.SetStatus(ActivityStatusCode.Error, "timeout");
                throw TimedOut(target, options, attempt, time.GetElapsedTime(started), last, InFlight(target, failure));
            }

            TimeSpan? floor = null;
            if (value is not null)
            {
                transientFailures = 0;
                var isFinal = target.IsFinal(value);
                var isChange = last is null || target.HasChanged(last, value);
                last = value;
                activity?.SetTag("billing_imports.wait.final_status", target.StatusOf(value));
                yield return new Observation<T>(value, attempt, time.GetElapsedTime(started), isFinal, isChange);
                if (isFinal)
                {
                    activity?.SetStatus(ActivityStatusCode.Ok);
                    yield break;
                }
            }
            else
            {
                if (++transientFailures > options.MaxConsecutiveTransientFailures)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, "transient failure budget exhausted");
                    ExceptionDispatchInfo.Throw(failure!);
                }

                // A server may ask for any pause, years even; Task.Delay would throw on it.
                floor = (failure as BillingImportsApiException)?.RetryAfter is { } requested
                    ? (requested > options.MaxRetryAfter ? options.MaxRetryAfter : requested)
                    : null;
            }

            var delay = Jitter.Apply(interval, options.Jitter);
            if (floor is { } retryAfter && retryAfter > delay)
            {
                delay = retryAfter;
            }

            if (options.Timeout != Timeout.InfiniteTimeSpan)
            {
                var remaining = options.Timeout - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero || (floor is { } minimum && minimum > remaining))
                {
                    // Out of time, or the server asked for a pause that ends after the deadline.
                    activity?.SetStatus(ActivityStatusCode.Error, "timeout");
                    throw TimedOut(target, options, attempt, time.GetElapsedTime(started), last, failure);
                }

                if (delay > remaining)
                {
                    delay = remaining;
                }
            }

            await Task.Delay(Timers.Clamp(delay), time, cancellationToken).ConfigureAwait(false);
            interval = Next(interval, options);
            if (deadline?.IsCancellationRequested == true || (options.Timeout != Timeout.InfiniteTimeSpan && time.GetElapsedTime(started) >= options.Timeout))
            {
                // The pause ran to the deadline: a poll now would be cancelled as it starts.
                activity?.SetStatus(ActivityStatusCode.Error, "timeout");
                throw TimedOut(target, options, attempt, time.GetElapsedTime(started), last, failure);
            }
        }
    }

    /// <summary>The states of <see cref="ObserveAsync{T}"/> that differ from the one before, starting with the first.</summary>
    public static async IAsyncEnumerable<T> ChangesAsync<T>(
        PollTarget<T> target,
        PollingOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        await foreach (var observation in ObserveAsync(target, options, cancellationToken).ConfigureAwait(false))
        {
            if (observation.IsChange)
            {
                yield return observation.Value;
            }
        }
    }

    private static PollingTimeoutException<T> TimedOut<T>(PollTarget<T> target, PollingOptions options, int attempts, TimeSpan elapsed, T? last, Exception? failure)
        where T : class
    {
        var seen = last is null ? "no successful poll" : $"last status '{target.StatusOf(last)}'";
        var message = string.Create(CultureInfo.InvariantCulture, $"Waiting for {target.ResourceKind} {target.ResourceId} timed out after {options.Timeout} and {attempts} polls ({seen}).");
        return new PollingTimeoutException<T>(message, target.ResourceId, attempts, elapsed, last, failure);
    }

    /// <summary>A poll the deadline cancelled, as the transient timeout it is.</summary>
    private static Exception InFlight<T>(PollTarget<T> target, Exception? failure)
        where T : class =>
        failure is OperationCanceledException or null
            ? new BillingImportsApiException($"The poll of {target.ResourceKind} {target.ResourceId} was still in flight when the wait timed out.", ApiErrorKind.Timeout, 0, failure)
            : failure;

    private static async Task<(T? Value, Exception? Failure)> TryFetchAsync<T>(PollTarget<T> target, CancellationToken pollToken, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return (await target.FetchAsync(pollToken).ConfigureAwait(false), null);
        }
        catch (BillingImportsApiException exception) when (exception.IsTransient)
        {
            return (null, exception);
        }
        catch (HttpRequestException exception)
        {
            // A connection that failed before any HTTP answer; the SDK's transport wraps these, a
            // consumer's own HttpClient may not.
            return (null, exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, or the wait's own deadline, surfaces as a cancellation the caller
            // did not ask for: a transient timeout.
            return (null, exception);
        }
    }

    private static TimeSpan Next(TimeSpan interval, PollingOptions options) =>
        TimeSpan.FromTicks((long)Math.Min(interval.Ticks * options.BackoffFactor, options.MaxInterval.Ticks));
}
