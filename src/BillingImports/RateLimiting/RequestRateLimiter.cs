using System.Threading.RateLimiting;

namespace BillingImports;

/// <summary>
/// A client's request budget: at most <see cref="PermitsPerSecond"/> requests in any one second,
/// shared by every call and wait of the client, and a pause that a server's <c>Retry-After</c>
/// imposes on all of them. A <see cref="RateLimiter"/> of <c>System.Threading.RateLimiting</c>.
/// </summary>
/// <remarks>
/// <para>
/// A sliding log: the instants of the last N grants are kept, and a request goes when the oldest
/// of them is a second old (plus <see cref="Headroom"/>), so no one-second window ever holds more
/// than N requests, wherever it starts. The framework's token bucket lets a full bucket and
/// its refill through within one second (twice the rate), and its replenishing timer runs on the
/// system clock only; this one runs on the client's <see cref="TimeProvider"/>, so tests drive it
/// in virtual time, and it arms a timer only while a request waits.
/// </para>
/// <para>
/// Waiting requests are served in order, except retries, which go first: they already waited their
/// turn once, and a retry that queued behind a long line would outlast its attempt's timeout.
/// </para>
/// <para>
/// Requests are paced as well: one per second divided by the rate, with at most ten at once after
/// a quiet spell, not a second's worth at once. A burst of permits would wait for connections below
/// the limiter and reach the server bunched up with the next second's, more than the rate within
/// one second as the server counts.
/// </para>
/// </remarks>
internal sealed class RequestRateLimiter : RateLimiter
{
    /// <summary>
    /// What the limiter adds to a second: between a permit and the wire a request still passes the
    /// rest of the pipeline and may wait for a connection, a few milliseconds that vary, so requests
    /// permitted a second apart can reach the server a little less than a second apart. Counting N
    /// requests per 1.05 s keeps the server's count for any one second at N or below.
    /// </summary>
    public static readonly TimeSpan Headroom = TimeSpan.FromMilliseconds(50);

    /// <summary>The most requests that go at once after a quiet spell; beyond them, one per interval.</summary>
    private const int MaxBurst = 10;

    private static readonly RateLimitLease Granted = new Lease(acquired: true, retryAfter: null);

    private readonly TimeProvider _time;
    private readonly long[] _grants;
    private readonly long _frequency;
    private readonly long _window;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _retries = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly long _created;
    private int _oldest;
    private long _pausedUntil = long.MinValue;
    private long _nextDue = long.MinValue;
    private int _queued;
    private long _successful;
    private long _failed;
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates the limiter.</summary>
    /// <param name="permitsPerSecond">Requests allowed in any one second, from 1.</param>
    /// <param name="time">The clock.</param>
    public RequestRateLimiter(int permitsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerSecond, 1);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _grants = new long[permitsPerSecond];
        Array.Fill(_grants, long.MinValue);
        _frequency = time.TimestampFrequency;
        _window = _frequency + (long)(_frequency * Headroom.TotalSeconds);
        _interval = Math.Max(_window / permitsPerSecond, 1);
        _tolerance = (Math.Min(permitsPerSecond, MaxBurst) - 1) * _interval;
        _created = time.GetTimestamp();
    }

    /// <summary>Requests allowed in any one second.</summary>
    public int PermitsPerSecond => _grants.Length;

    /// <inheritdoc />
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                var newest = _grants[(_oldest + _grants.Length - 1) % _grants.Length];
                var idleSince = newest == long.MinValue ? _created : newest + _window;
                return _queued > 0 || now < idleSince || now < _pausedUntil ? null : Span(now - idleSince);
            }
        }
    }

    /// <summary>
    /// Holds every request back for <paramref name="pause"/> from now (a longer pause already in
    /// force stays): what a server's <c>Retry-After</c> asks of the whole client.
    /// </summary>
    public void PauseFor(TimeSpan pause)
    {
        if (pause <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            var until = _time.GetTimestamp() + (long)Math.Ceiling(pause.Ticks * (double)_frequency / TimeSpan.TicksPerSecond);
            _pausedUntil = Math.Max(_pausedUntil, until);
        }
    }

    /// <summary>A permit for a retry: served before every request still waiting for its first attempt.</summary>
    public ValueTask<RateLimitLease> AcquireRetryAsync(CancellationToken cancellationToken) => Acquire(1, retry: true, cancellationToken);

    /// <inheritdoc />
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            var free = _grants.Count(grant => grant == long.MinValue || grant <= _time.GetTimestamp() - _window);
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = free,
                CurrentQueuedCount = _queued,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <inheritdoc />
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ThrowIfInvalid(permitCount);
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (!_disposed && _queued == 0 && TryGrant(now, permitCount))
            {
                _successful++;
                return Granted;
            }

            _failed++;
            return new Lease(acquired: false, retryAfter: _disposed ? null : Span(Math.Max(Due(permitCount) - now, 0)));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(permitCount);
        return Acquire(permitCount, retry: false, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Abandon();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    protected override async ValueTask DisposeAsyncCore()
    {
        Abandon();
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    /// <summary>Stops the timer and fails every request still waiting: the client is going away.</summary>
    private void Abandon()
    {
        List<Waiter> abandoned;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            abandoned = [.. _retries.Concat(_waiters).Where(waiter => !waiter.Done)];
            foreach (var waiter in abandoned)
            {
                waiter.Done = true;
            }

            _retries.Clear();
            _waiters.Clear();
            _queued = 0;
            _failed += abandoned.Count;
        }

        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.TrySetResult(new Lease(acquired: false, retryAfter: null));
        }
    }

    private static TimeSpan Span(long timestampTicks, long frequency) =>
        TimeSpan.FromTicks((long)Math.Ceiling(timestampTicks * (double)TimeSpan.TicksPerSecond / frequency));

    private TimeSpan Span(long timestampTicks) => Span(timestampTicks, _frequency);

    private void ThrowIfInvalid(int permitCount)
    {
        if (permitCount < 0 || permitCount > _grants.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A request takes from 0 to {_grants.Length} permits.");
        }
    }

    private ValueTask<RateLimitLease> Acquire(int permitCount, bool retry, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Waiter waiter;
        List<Waiter>? served;
        lock (_gate)
        {
            if (_disposed)
            {
                _failed++;
                return new ValueTask<RateLimitLease>(new Lease(acquired: false, retryAfter: null));
            }

            // A request goes at once only when nobody it should let ahead is waiting.
            var ahead = retry ? Live(_retries) is not null : _queued > 0;
            if (!ahead && TryGrant(_time.GetTimestamp(), permitCount))
            {
                _successful++;
                return new ValueTask<RateLimitLease>(Granted);
            }

            waiter = new Waiter(this, permitCount);
            (retry ? _retries : _waiters).Enqueue(waiter);
            _queued++;

            // Those ahead may be due by now with the timer not yet run: serve in order first.
            served = Drain();
        }

        Complete(served);
        if (cancellationToken.CanBeCanceled && !waiter.Task.IsCompleted)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
            if (waiter.Task.IsCompleted)
            {
                // Served between the check and the registration: nothing left to cancel.
                waiter.Registration.Dispose();
            }
        }

        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <summary>
    /// Grants <paramref name="permitCount"/> permits now if the pause is over, the request keeps to
    /// the pace (one per second divided by the rate, up to <see cref="MaxBurst"/> at once after a
    /// quiet spell), and the log has room; under the lock.
    /// </summary>
    private bool TryGrant(long now, int permitCount)
    {
        if (now < _pausedUntil || (_nextDue != long.MinValue && now < _nextDue - _tolerance))
        {
            return false;
        }

        if (permitCount == 0)
        {
            return true;
        }

        var last = _grants[(_oldest + permitCount - 1) % _grants.Length];
        if (last != long.MinValue && last > now - _window)
        {
            return false;
        }

        for (var i = 0; i < permitCount; i++)
        {
            _grants[_oldest] = now;
            _oldest = (_oldest + 1) % _grants.Length;
        }

        _nextDue = Math.Max(_nextDue, now) + (_interval * permitCount);
        return true;
    }

    /// <summary>When <paramref name="permitCount"/> permits can next be granted; under the lock.</summary>
    private long Due(int permitCount)
    {
        var due = Math.Max(_pausedUntil, _nextDue == long.MinValue ? long.MinValue : _nextDue - _tolerance);
        if (permitCount > 0)
        {
            var last = _grants[(_oldest + permitCount - 1) % _grants.Length];
            if (last != long.MinValue)
            {
                due = Math.Max(due, last + _window);
            }
        }

        return due;
    }

    /// <summary>Serves waiting requests in order while the log has room, then arms the timer for the next; under the lock.</summary>
    private List<Waiter>? Drain()
    {
        List<Waiter>? served = null;
        var now = _time.GetTimestamp();
        while (Head() is { } head && TryGrant(now, head.Count))
        {
            (_retries.Count > 0 ? _retries : _waiters).Dequeue();
            head.Done = true;
            _queued--;
            _successful++;
            (served ??= []).Add(head);
        }

        Arm();
        return served;
    }

    /// <summary>The first live waiter, retries first, dropping cancelled ones on the way; under the lock.</summary>
    private Waiter? Head() => Live(_retries) ?? Live(_waiters);

    /// <summary>The first live waiter of a queue, dropping cancelled ones ahead of it; under the lock.</summary>
    private static Waiter? Live(Queue<Waiter> queue)
    {
        while (queue.TryPeek(out var waiter))
        {
            if (!waiter.Done)
            {
                return waiter;
            }

            queue.Dequeue();
        }

        return null;
    }

    /// <summary>Arms the one timer for when the first waiting request can go; under the lock.</summary>
    private void Arm()
    {
        _timer?.Dispose();
        _timer = null;
        if (_disposed || Head() is not { } head)
        {
            return;
        }

        var wait = Span(Math.Max(Due(head.Count) - _time.GetTimestamp(), 0));

        // A fresh timer each time: some clocks' timers (the test suite's virtual one) cannot be re-armed.
        _timer = _time.CreateTimer(static state => ((RequestRateLimiter)state!).OnTimer(), this, wait, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Waiter>? served;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            served = Drain();
        }

        Complete(served);
    }

    private static void Complete(List<Waiter>? served)
    {
        if (served is null)
        {
            return;
        }

        foreach (var waiter in served)
        {
            waiter.Registration.Dispose();
            waiter.TrySetResult(Granted);
        }
    }

    private void Cancelled(Waiter waiter, CancellationToken token)
    {
        List<Waiter>? served;
        lock (_gate)
        {
            if (waiter.Done)
            {
                return;
            }

            waiter.Done = true;
            _queued--;
            _failed++;

            // The cancelled request may have held the line: those behind it may go now.
            served = Drain();
        }

        waiter.TrySetCanceled(token);
        Complete(served);
    }

    /// <summary>A request waiting for its turn.</summary>
    /// <remarks>
    /// Its continuation runs where the permit is granted (no <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/>),
    /// outside the limiter's lock: the request goes on towards the wire at once instead of queueing
    /// behind other work on the thread pool, which would let requests granted apart reach the
    /// server together.
    /// </remarks>
    private sealed class Waiter(RequestRateLimiter limiter, int count) : TaskCompletionSource<RateLimitLease>
    {
        public int Count { get; } = count;

        /// <summary>Granted, cancelled or abandoned; set under the limiter's lock.</summary>
        public bool Done { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token) => limiter.Cancelled(this, token);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
