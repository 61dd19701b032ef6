namespace BillingImports;

/// <summary>
/// The per-attempt timeout of one retry handler, on its <see cref="TimeProvider"/>, without a new
/// timer and token source for every attempt: each <see cref="Lease"/> pairs a token source with a
/// timer that cancels it, and a lease whose attempt ended before its timer fired is reset and kept
/// for the next attempt. One that fired, or whose caller cancelled, is dropped.
/// </summary>
internal sealed class AttemptTimeouts(TimeSpan timeout, TimeProvider time)
{
    /// <summary>Idle leases kept at most; beyond it an ended attempt's lease is dropped.</summary>
    private const int MaxIdle = 1024;

    private readonly TimeSpan _timeout = timeout;
    private readonly TimeProvider _time = time;
    private readonly Stack<Lease> _idle = new();
    private readonly Lock _gate = new();

    /// <summary>A lease armed for one attempt, cancelled by the timeout or by <paramref name="callerToken"/>.</summary>
    public Lease Start(CancellationToken callerToken)
    {
        Lease? lease = null;
        lock (_gate)
        {
            _idle.TryPop(out lease);
        }

        lease ??= new Lease(this);
        lease.Arm(callerToken);
        return lease;
    }

    private void Return(Lease lease)
    {
        lock (_gate)
        {
            if (_idle.Count < MaxIdle)
            {
                _idle.Push(lease);
                return;
            }
        }

        lease.Drop();
    }

    /// <summary>One token source and the timer that cancels it; used by one attempt at a time.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly AttemptTimeouts _owner;
        private readonly CancellationTokenSource _source = new();
        private readonly ITimer _timer;
        private readonly Lock _gate = new();
        private CancellationTokenRegistration _caller;
        private long _deadline;
        private bool _armed;
        private bool _fired;

        public Lease(AttemptTimeouts owner)
        {
            _owner = owner;
            _timer = owner._time.CreateTimer(static state => ((Lease)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>The attempt's token.</summary>
        public CancellationToken Token => _source.Token;

        public void Arm(CancellationToken callerToken)
        {
            lock (_gate)
            {
                _deadline = _owner._time.GetTimestamp() + (long)(_owner._timeout.Ticks * (_owner._time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
                _armed = true;
                _timer.Change(_owner._timeout, Timeout.InfiniteTimeSpan);
            }

            if (callerToken.CanBeCanceled)
            {
                _caller = callerToken.UnsafeRegister(static state => ((Lease)state!).Cancel(), this);
            }
        }

        /// <summary>Ends the attempt: the lease goes back to its owner when nothing cancelled it, else it is dropped.</summary>
        public void Dispose()
        {
            bool fired;
            lock (_gate)
            {
                _armed = false;
                fired = _fired;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            // Waits for a caller callback already running; none runs after it.
            _caller.Dispose();
            _caller = default;
            if (!fired && _source.TryReset())
            {
                _owner.Return(this);
            }
            else
            {
                Drop();
            }
        }

        public void Drop() => _timer.Dispose();

        /// <summary>
        /// The timer's callback. A callback can be queued by one arming and run after the lease was
        /// re-armed, or even after it went back to the pool (disposing or changing a timer does not
        /// wait for a callback already on its way), so it acts only on an armed lease whose deadline
        /// has passed; one that came early re-arms the timer for the rest.
        /// </summary>
        private void OnTimer()
        {
            lock (_gate)
            {
                if (!_armed)
                {
                    return;
                }

                var remaining = _owner._time.GetElapsedTime(_owner._time.GetTimestamp(), _deadline);
                if (remaining > TimeSpan.Zero)
                {
                    _timer.Change(remaining, Timeout.InfiniteTimeSpan);
                    return;
                }

                _armed = false;
                _fired = true;
            }

            Cancel();
        }

        private void Cancel()
        {
            lock (_gate)
            {
                _fired = true;
            }

            try
            {
                _source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Never disposed by the SDK; kept for safety on a timer thread, where a throw would end the process.
            }
        }
    }
}
