using System.Net;
using System.Threading.RateLimiting;

namespace BillingImports;

/// <summary>
/// Keeps a client within its request rate (<see cref="BillingImportsClientOptions.MaxRequestsPerSecond"/>):
/// every request of every call and wait of the client takes a permit from the one
/// <see cref="RequestRateLimiter"/> the client owns, and a <c>Retry-After</c> on any answer pauses
/// them all. Two instances share the limiter, on either side of the retry handler.
/// </summary>
/// <remarks>
/// Outside the retry handler, a call waits for its turn before its first attempt, for as long as
/// the line is: the caller's token bounds the wait (a polling wait's deadline among them), not the
/// per-attempt <see cref="BillingImportsClientOptions.Timeout"/>, which thousands of waits queued on
/// 40 requests a second would outlast. Inside it, each retry takes a permit too, ahead of the line,
/// within its attempt's timeout; and each answer is read for a <c>Retry-After</c> (429 or 503),
/// which holds the whole client back for that long, up to <see cref="RetryOptions.MaxRetryAfter"/>.
/// </remarks>
internal sealed class RateLimitHandler : DelegatingHandler
{
    private readonly RequestRateLimiter _limiter;
    private readonly bool _perAttempt;
    private readonly bool _ownsLimiter;
    private readonly TimeSpan _maxPause;
    private readonly TimeProvider _time;

    private RateLimitHandler(RequestRateLimiter limiter, bool perAttempt, bool ownsLimiter, TimeSpan maxPause, TimeProvider time)
    {
        _limiter = limiter;
        _perAttempt = perAttempt;
        _ownsLimiter = ownsLimiter;
        _maxPause = maxPause;
        _time = time;
    }

    /// <summary>
    /// Puts the pair around <paramref name="retry"/> when the options set a rate: the client's
    /// shared limiter when there is one (dependency injection), otherwise a new one this pipeline
    /// owns (a standalone client builds one pipeline).
    /// </summary>
    public static void Insert(List<DelegatingHandler> handlers, DelegatingHandler retry, BillingImportsClientOptions options, ClientServices services)
    {
        if (options.EffectiveMaxRequestsPerSecond is not { } rate)
        {
            return;
        }

        var limiter = services.RateLimiter ?? new RequestRateLimiter(rate, services.Time);
        var index = Math.Max(handlers.IndexOf(retry), 0);
        handlers.Insert(index + 1, new RateLimitHandler(limiter, perAttempt: true, ownsLimiter: false, options.Retry.MaxRetryAfter, services.Time));
        handlers.Insert(index, new RateLimitHandler(limiter, perAttempt: false, ownsLimiter: services.RateLimiter is null, options.Retry.MaxRetryAfter, services.Time));
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_perAttempt)
        {
            return SendAttemptAsync(request, cancellationToken);
        }

        // The common case, a permit free at once, adds no state machine to the call.
        var acquire = _limiter.AcquireAsync(1, cancellationToken);
        if (!acquire.IsCompletedSuccessfully)
        {
            return SendWhenAllowedAsync(acquire.AsTask(), request, cancellationToken);
        }

        using var lease = acquire.Result;
        return lease.IsAcquired ? base.SendAsync(request, cancellationToken) : Task.FromException<HttpResponseMessage>(Disposed());
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsLimiter)
        {
            _limiter.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ObjectDisposedException Disposed() =>
        new(nameof(RequestRateLimiter), "The client was disposed while the request waited for its turn.");

    private async Task<HttpResponseMessage> SendWhenAllowedAsync(Task<RateLimitLease> acquire, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (var lease = await acquire.ConfigureAwait(false))
        {
            if (!lease.IsAcquired)
            {
                throw Disposed();
            }
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The first attempt's permit was taken outside the retry handler; the retry handler marks
        // the attempts after it.
        if (request.Options.TryGetValue(TransientRetryHandler.RetriesKey, out var retries) && retries > 0)
        {
            using var lease = await _limiter.AcquireRetryAsync(cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                throw Disposed();
            }
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        Observe(response);
        return response;
    }

    /// <summary>
    /// An answer an attempt ended with. A 429 or 503 with <c>Retry-After</c> pauses the client's
    /// budget: the server speaks for the whole client, so a 429 to one call slows every other one.
    /// The retry handler also hands over the answer a redirect led to, since the hops go below this
    /// handler.
    /// </summary>
    internal void Observe(HttpResponseMessage response)
    {
        if (_perAttempt
            && response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            && RetryAfterParser.FromResponse(response, _time) is { } retryAfter)
        {
            _limiter.PauseFor(retryAfter > _maxPause ? _maxPause : retryAfter);
        }
    }
}
