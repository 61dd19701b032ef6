namespace BillingImports;

/// <summary>
/// The per-attempt timeout of one retry handler, on its <see cref="TimeProvider"/>, without a new
/// timer and token source for every attempt: each <see cref="Lease"/> pairs a token source with a
/// timer that cancels it, and a lease whose attempt ended before its timer fired is reset and kept
/// for the next attempt. One that fired, or whose caller cancelled, is dropped.
/// A lease's timer is not stopped when its attempt ends, nor started again for the next one while it
/// still runs: every attempt has the same timeout, so a timer started for an earlier attempt comes
/// due before the current attempt's deadline and re-arms itself for the rest. An attempt thus
/// touches the timer queue (a lock shared by every call in the process, and a list that would hold
/// every call in flight) only when its lease's timer has stopped, about once per timeout per lease.
/// </summary>
internal sealed class AttemptTimeouts(TimeSpan timeout, TimeProvider time)
{
    /// <summary>Idle leases kept at most; beyond it an ended attempt's lease is dropped.</summary>
    private const int MaxIdle = 1024;

    /// <summary>
    /// The last lease an attempt on this thread ended with, of any handler: taken by the next attempt
    /// this thread starts, which under load is most of them (a call ends, and the thread goes on to
    /// start the next). The shared stack behind it is a lock and a cache line that every core
    /// would otherwise take turns on twice per attempt: with calls on two cores, starting and ending
    /// a lease cost about three times what it does on one.
    /// </summary>
    [ThreadStatic]
    private static Lease? t_last;

    private readonly TimeSpan _timeout = timeout;
    private readonly TimeProvider _time = time;
    private readonly Stack<Lease> _idle = new();
    private readonly Lock _gate = new();

    /// <summary>A lease armed for one attempt, cancelled by the timeout or by <paramref name="callerToken"/>.</summary>
    public Lease Start(CancellationToken callerToken)
    {
        var lease = t_last;
        if (lease?.Owner == this)
        {
            t_last = null;
        }
        else
        {
            lock (_gate)
            {
                _idle.TryPop(out lease);
            }
        }

        // A lease the caller's token of an earlier attempt cancelled while it was idle cannot be reset.
        while (lease is not null && !lease.TryArm(callerToken))
        {
            lease.Drop();
            lock (_gate)
            {
                _idle.TryPop(out lease);
            }
        }

        if (lease is null)
        {
            lease = new Lease(this);
            lease.TryArm(callerToken);
        }

        return lease;
    }

    private static void Return(Lease lease)
    {
        // The newest on this thread; the one it displaces (perhaps another handler's) goes back to its own stack.
        var displaced = t_last;
        t_last = lease;
        displaced?.Owner.ReturnShared(displaced);
    }

    private void ReturnShared(Lease lease)
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
        /// <summary>An attempt holds the lease.</summary>
        private const int Armed = 1;

        /// <summary>The timer is set to fire, at or before the deadline of any attempt that holds the lease.</summary>
        private const int Running = 2;

        /// <summary>The timeout or the caller cancelled the token: the lease is not reused.</summary>
        private const int Fired = 4;

        /// <summary>
        /// Added to the state by every arming, above the flags: a timer callback that read the state
        /// of an attempt which has since ended cannot mistake the next attempt, armed and running as
        /// that one was, for it, and cancel it at the earlier deadline.
        /// </summary>
        private const int Generation = 8;

        private readonly AttemptTimeouts _owner;
        private readonly CancellationTokenSource _source = new();
        private readonly ITimer _timer;

        /// <summary>
        /// The registration on <see cref="_callerToken"/>, kept from attempt to attempt while the
        /// caller's token stays the same. It does: a call without a token of its own reaches the
        /// pipeline with its HttpClient's one token for pending requests, which every call of the
        /// client shares, so registering and unregistering on it for each attempt would have every
        /// core take turns on that one source's lock.
        /// </summary>
        private CancellationTokenRegistration _caller;
        private CancellationToken _callerToken;
        private long _deadline;

        /// <summary>
        /// <see cref="Armed"/>, <see cref="Running"/> and <see cref="Fired"/>, and above them the
        /// count of armings (<see cref="Generation"/>), changed by interlocked operations: every
        /// attempt changes it twice, where a lock would be taken twice too.
        /// </summary>
        private int _state;

        public Lease(AttemptTimeouts owner)
        {
            _owner = owner;
            _timer = owner._time.CreateTimer(static state => ((Lease)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        /// <summary>The handler's timeouts the lease goes back to.</summary>
        public AttemptTimeouts Owner => _owner;

        /// <summary>The attempt's token.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>Arms the lease for an attempt; false when it cannot be (its source was cancelled while idle), and it is to be dropped.</summary>
        public bool TryArm(CancellationToken callerToken)
        {
            if (callerToken != _callerToken)
            {
                // Waits for a callback of the earlier token already running; none runs after it.
                _caller.Dispose();
                _caller = default;
                _callerToken = default;
            }

            if (_source.IsCancellationRequested)
            {
                return false;
            }

            // Written before the state says armed (the interlocked operation is a full fence), so a
            // timer callback that sees the lease armed sees this deadline.
            Volatile.Write(ref _deadline, _owner._time.GetTimestamp() + (long)(_owner._timeout.Ticks * (_owner._time.TimestampFrequency / (double)TimeSpan.TicksPerSecond)));
            int before;
            do
            {
                before = Volatile.Read(ref _state);
            }
            while (Interlocked.CompareExchange(ref _state, unchecked((before | Armed | Running) + Generation), before) != before);

            if ((before & Running) == 0)
            {
                _timer.Change(_owner._timeout, Timeout.InfiniteTimeSpan);
            }

            if (callerToken.CanBeCanceled)
            {
                if (_callerToken == default)
                {
                    // Armed first: a token already cancelled runs the callback here and now.
                    _callerToken = callerToken;
                    _caller = callerToken.UnsafeRegister(static state => ((Lease)state!).OnCallerCancelled(), this);
                }
                else if (callerToken.IsCancellationRequested)
                {
                    // Cancelled while the lease was idle: the callback ran then, and let an unarmed lease be.
                    Cancel();
                }
            }

            return true;
        }

        /// <summary>Ends the attempt: the lease goes back to its owner when nothing cancelled it, else it is dropped.</summary>
        public void Dispose()
        {
            // The timer keeps running: it finds the lease unarmed and stops, or a later attempt's
            // deadline and re-arms for it.
            // The caller's registration stays for the next attempt (see _caller). A callback that
            // saw the lease armed may still cancel the source after this; the next TryArm finds it
            // cancelled.
            var fired = (Interlocked.And(ref _state, ~Armed) & Fired) != 0;
            if (!fired && _source.TryReset())
            {
                Return(this);
            }
            else
            {
                Drop();
            }
        }

        public void Drop()
        {
            _timer.Dispose();
            _caller.Dispose();
            _caller = default;
            _callerToken = default;
        }

        /// <summary>
        /// The timer's callback. It comes at an earlier attempt's deadline, or for a lease that went
        /// back to the pool (see the class), so it acts only on an armed lease whose deadline has
        /// passed: it stops on an unarmed one, and re-arms itself for the rest of a later deadline.
        /// </summary>
        private void OnTimer()
        {
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if ((state & Armed) == 0)
                {
                    // Stopped, unless an attempt armed the lease meanwhile: then round again for its deadline.
                    if (Interlocked.CompareExchange(ref _state, state & ~Running, state) == state)
                    {
                        return;
                    }

                    continue;
                }

                var remaining = _owner._time.GetElapsedTime(_owner._time.GetTimestamp(), Volatile.Read(ref _deadline));
                if (remaining > TimeSpan.Zero)
                {
                    _timer.Change(remaining, Timeout.InfiniteTimeSpan);
                    return;
                }

                if (Interlocked.CompareExchange(ref _state, (state & ~(Armed | Running)) | Fired, state) == state)
                {
                    CancelSource();
                    return;
                }
            }
        }

        /// <summary>The caller's token was cancelled: the attempt holding the lease ends; an idle lease is left as it is.</summary>
        private void OnCallerCancelled()
        {
            if ((Volatile.Read(ref _state) & Armed) != 0)
            {
                Cancel();
            }
        }

        private void Cancel()
        {
            Interlocked.Or(ref _state, Fired);
            CancelSource();
        }

        private void CancelSource()
        {
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
