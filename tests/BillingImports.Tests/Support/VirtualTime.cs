namespace BillingImports.Tests.Support;

/// <summary>
/// A clock on which every delay fires at once: creating a timer that someone awaits (Task.Delay)
/// moves virtual time forward by its due time and runs its callback. A wait that sleeps 30 minutes
/// in total finishes in milliseconds, and <see cref="Delays"/> records every sleep it asked for.
/// </summary>
/// <remarks>
/// A timer that cancels a <see cref="CancellationTokenSource"/> (a per-attempt timeout, a wait's
/// deadline) is a guard, not a delay: it does not move time, and fires only once a delay moves
/// time to or past its due time, as it would on a real clock.
/// </remarks>
internal sealed class VirtualTime : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly List<TimeSpan> _delays = [];
    private readonly List<VirtualTimer> _guards = [];
    private long _ticks;

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => Epoch + Elapsed;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return timer;
        }

        if (state is CancellationTokenSource)
        {
            lock (_delays)
            {
                timer.DueAt = Interlocked.Read(ref _ticks) + dueTime.Ticks;
                _guards.Add(timer);
            }

            return timer;
        }

        List<VirtualTimer> passed;
        lock (_delays)
        {
            _delays.Add(dueTime);
            var now = Interlocked.Add(ref _ticks, dueTime.Ticks);
            passed = [.. _guards.Where(guard => guard.DueAt <= now).OrderBy(guard => guard.DueAt)];
            _guards.RemoveAll(passed.Contains);
        }

        // Fired from the thread pool, as a real timer would be, so the creator is never re-entered.
        foreach (var guard in passed)
        {
            ThreadPool.QueueUserWorkItem(_ => guard.Fire());
        }

        ThreadPool.QueueUserWorkItem(_ => timer.Fire());
        return timer;
    }

    private void Forget(VirtualTimer timer)
    {
        lock (_delays)
        {
            _guards.Remove(timer);
        }
    }

    private sealed class VirtualTimer(VirtualTime time, TimerCallback callback, object? state) : ITimer
    {
        private int _disposed;

        public long DueAt { get; set; }

        public void Fire()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                time.Forget(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Records the virtual time of every request that passes through it.</summary>
internal sealed class RequestClock(TimeProvider time) : DelegatingHandler(new HttpClientHandler())
{
    private readonly List<TimeSpan> _at = [];
    private readonly long _start = time.GetTimestamp();

    public IReadOnlyList<TimeSpan> At
    {
        get
        {
            lock (_at)
            {
                return [.. _at];
            }
        }
    }

    /// <summary>The gaps between consecutive requests.</summary>
    public IReadOnlyList<TimeSpan> Gaps => At.Zip(At.Skip(1), (earlier, later) => later - earlier).ToList();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_at)
        {
            _at.Add(time.GetElapsedTime(_start));
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that records reports synchronously (Progress&lt;T&gt; posts them later).</summary>
internal sealed class RecordingProgress<T> : IProgress<T>
{
    private readonly List<T> _reports = [];

    public IReadOnlyList<T> Reports
    {
        get
        {
            lock (_reports)
            {
                return [.. _reports];
            }
        }
    }

    public void Report(T value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
