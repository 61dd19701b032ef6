using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;

namespace BillingImports;

/// <summary>
/// Retries transient failures of these idempotent GETs. Takes the place of Kiota's RetryHandler in
/// the default pipeline, because that handler reads an HTTP-date <c>Retry-After</c> as the seconds
/// component of the difference (a date 2 minutes away waits 0 seconds), retries only 429/503/504,
/// has no jitter, and ends in <see cref="AggregateException"/>. This one honours both
/// <c>Retry-After</c> forms, backs off exponentially with jitter on a <see cref="TimeProvider"/>,
/// bounds each attempt with a timeout, and hands the last answer to the client's error reader, so
/// the caller gets one typed <see cref="BillingImportsApiException"/>.
/// The answer that ends an attempt goes through the <see cref="ResponseBodyPolicy"/> here, inside the
/// attempt, so its timeout bounds the body too and a body that breaks is retried; an answer that
/// rejects the bearer token (<see cref="TokenRejection"/>) has the attempt sent once more with a new one.
/// </summary>
internal sealed partial class TransientRetryHandler(
    RetryOptions options,
    TimeSpan attemptTimeout,
    TimeProvider time,
    ILogger logger,
    SecretScrubber? secrets = null,
    ResponseBodyPolicy? body = null,
    TokenRejection? tokenRejection = null,
    RedirectFollower? redirects = null) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<int> RetriesKey = new("BillingImports.Retries");

    /// <summary>The assembly Kiota's RedirectHandler throws from, as a constant: reading it from the type would load the assembly and parse its name for every client, redirected or not.</summary>
    private const string KiotaAssembly = "Microsoft.Kiota.Http.HttpClientLibrary";

    /// <summary>One timer per attempt only when there is a timeout, and reused from attempt to attempt.</summary>
    private readonly AttemptTimeouts? _timeouts = attemptTimeout == Timeout.InfiniteTimeSpan ? null : new AttemptTimeouts(Timers.Clamp(attemptTimeout), time);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Kept lean on purpose: every local that lives across an await is a field of the state
        // machine this call allocates, so the rare paths (waits, failures) hold as little as they can.
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                // Only a retried request pays for the options dictionary; telemetry reads a missing count as 0.
                request.Options.Set(RetriesKey, attempt);
            }

            HttpResponseMessage? response = null;
            Exception? failure = null;

            // On the TimeProvider's clock, so a fake clock in tests drives the timeout too; with no
            // timeout the caller's token is the attempt's.
            var timeout = _timeouts?.Start(cancellationToken);
            try
            {
                response = await base.SendAsync(request, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                if (redirects is not null && RedirectFollower.IsRedirect(response))
                {
                    response = await FollowAsync(response, request, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                }

                if (tokenRejection?.Rejected(response, request) == true)
                {
                    response = await ResendAsync(response, request, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                }

                if (body is not null)
                {
                    await body.ApplyAsync(response, request, timeout?.Token ?? cancellationToken).ConfigureAwait(false);
                }
            }
            catch (InvalidOperationException exception) when (exception.Source == KiotaAssembly)
            {
                throw Unfollowed(exception, request);
            }
            catch (Exception exception) when (IsTransportFailure(exception, cancellationToken))
            {
                if (attempt >= options.MaxRetries)
                {
                    throw Wrap(exception, request, attempt);
                }

                failure = exception;
            }
            finally
            {
                timeout?.Dispose();
            }

            TimeSpan delay;
            string reason;
            if (failure is not null)
            {
                delay = Backoff(attempt);
                reason = Describe(failure);
            }
            else if (attempt >= options.MaxRetries || !IsTransientStatus(response!.StatusCode) || !TryRetryDelay(response, attempt, out delay, out reason))
            {
                return response!;
            }

            await WaitAsync(delay, request, attempt, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends an attempt once more after its answer rejected the token (the token provider has
    /// forgotten it), following a redirect as the first send did. Once per attempt: a new token that
    /// is rejected too is the caller's 401. Out of SendAsync, whose state machine every call
    /// compiles and allocates.
    /// </summary>
    private async Task<HttpResponseMessage> ResendAsync(HttpResponseMessage rejected, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        rejected.Dispose();
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return redirects is not null && RedirectFollower.IsRedirect(response)
            ? await FollowAsync(response, request, cancellationToken).ConfigureAwait(false)
            : response;
    }

    /// <summary>
    /// Follows a redirect with Kiota's RedirectHandler (<see cref="RedirectFollower"/>), out of
    /// SendAsync, whose state machine every call compiles. The hops go past the per-attempt
    /// rate-limit handler, since the attempt's permit covers all of them, to the auth handler, where
    /// the redirect handler stood. The rate-limit handler then sees the answer they led to, as it
    /// did when the redirect handler stood below it.
    /// </summary>
    private async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage redirect, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var below = InnerHandler;
        while (below is RateLimitHandler passedOver)
        {
            below = passedOver.InnerHandler;
        }

        HttpResponseMessage answer;
        try
        {
            answer = await redirects!.FollowAsync(redirect, request, below ?? throw new InvalidOperationException("The retry handler has no inner handler."), cancellationToken).ConfigureAwait(false);
        }
        catch (UriFormatException exception)
        {
            // Kiota makes the next hop's address from a relative Location by appending it to the
            // scheme and authority; text that makes no address there (a server's garbage) fails here.
            throw Unfollowed(exception, request);
        }

        for (var handler = InnerHandler; handler is RateLimitHandler limit; handler = limit.InnerHandler)
        {
            limit.Observe(answer);
        }

        return answer;
    }

    /// <summary>
    /// The wait before retrying a transient status (the server's <c>Retry-After</c>, else the
    /// backoff), the answer disposed; false, the answer kept, when the server asks for longer than
    /// <see cref="RetryOptions.MaxRetryAfter"/>: the caller (or a polling wait) gets the answer with
    /// <c>RetryAfter</c> on the exception and decides. Out of SendAsync, whose state machine every
    /// call compiles and allocates.
    /// </summary>
    private bool TryRetryDelay(HttpResponseMessage response, int attempt, out TimeSpan delay, out string reason)
    {
        var retryAfter = RetryAfterParser.FromResponse(response, time);
        if (retryAfter > options.MaxRetryAfter)
        {
            LogRetryAfterTooLong(logger, (int)response.StatusCode, retryAfter.Value.TotalSeconds);
            delay = default;
            reason = string.Empty;
            return false;
        }

        delay = retryAfter ?? Backoff(attempt);
        reason = "HTTP " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        response.Dispose();
        return true;
    }

    internal static bool IsTransientStatus(HttpStatusCode status) => (int)status is 429 or 500 or 502 or 503 or 504;

    private static bool IsTransportFailure(Exception exception, CancellationToken callerToken) => exception switch
    {
        // A body that breaks mid-stream surfaces as either, depending on the content type.
        HttpRequestException or IOException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception exception) => exception is OperationCanceledException ? "timeout" : "network failure";

    private BillingImportsApiException Wrap(Exception exception, HttpRequestMessage request, int attempt)
    {
        var host = request.RequestUri?.Host ?? "the service";
        var tries = (attempt + 1).ToString(CultureInfo.InvariantCulture);
        // A transport message can quote what the server sent (an invalid header line, say).
        return exception is OperationCanceledException
            ? new BillingImportsApiException($"The request to {host} timed out after {attemptTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s ({tries} attempts).", ApiErrorKind.Timeout, 0, exception) { Secrets = secrets }
            : new BillingImportsApiException(Scrub($"The request to {host} failed before an HTTP answer ({tries} attempts): {exception.Message}"), ApiErrorKind.Network, 0, Sanitize(exception)) { Secrets = secrets };
    }

    /// <summary>
    /// Kiota's RedirectHandler refuses a scheme change or too many redirects with an
    /// InvalidOperationException, and a Location that makes no address fails with a
    /// UriFormatException; the caller gets the SDK's exception family instead.
    /// </summary>
    private BillingImportsApiException Unfollowed(Exception exception, HttpRequestMessage request) =>
        new(Scrub($"The request to {request.RequestUri?.Host ?? "the service"} was redirected in a way the SDK does not follow: {exception.Message}"), ApiErrorKind.Unknown, 0, Sanitize(exception))
        {
            Secrets = secrets,
        };

    private string Scrub(string text) => secrets?.Scrub(text) ?? text;

    private Exception Sanitize(Exception exception) => secrets?.Sanitize(exception) ?? exception;

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.BaseDelay.Ticks * Math.Pow(2, attempt);
        var capped = Math.Min(exponential, options.MaxDelay.Ticks);
        return Jitter.Apply(TimeSpan.FromTicks((long)capped), options.Jitter);
    }

    // A ValueTask, as ApplyAsync is: SendAsync's state machine then keeps one awaiter field for both.
    private async ValueTask WaitAsync(TimeSpan delay, HttpRequestMessage request, int attempt, string describe, CancellationToken cancellationToken)
    {
        LogRetry(logger, request.Method.Method, request.RequestUri?.Host, describe, delay.TotalMilliseconds, attempt + 1, options.MaxRetries);
        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["billing_imports.retry.attempt"] = attempt + 1,
            ["billing_imports.retry.reason"] = describe,
            ["billing_imports.retry.delay_ms"] = delay.TotalMilliseconds,
        }));
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(Timers.Clamp(delay), time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Retrying {Method} to {Host} after {Reason} in {DelayMs} ms (retry {Retry} of {MaxRetries})")]
    private static partial void LogRetry(ILogger logger, string method, string? host, string reason, double delayMs, int retry, int maxRetries);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Not retrying HTTP {Status}: the service asked to wait {RetryAfterSeconds} s, more than RetryOptions.MaxRetryAfter")]
    private static partial void LogRetryAfterTooLong(ILogger logger, int status, double retryAfterSeconds);
}
