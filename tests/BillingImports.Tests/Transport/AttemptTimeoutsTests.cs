using Microsoft.Extensions.Time.Testing;

namespace BillingImports.Tests.Transport;

/// <summary>
/// The per-attempt timeout's leases, on a fake clock. A lease's timer is left running when its
/// attempt ends and is not restarted while it runs, so these pin down that every attempt still ends
/// at its own deadline: not at an earlier attempt's, not never.
/// </summary>
public sealed class AttemptTimeoutsTests
{
    private static readonly TimeSpan Timeout30 = TimeSpan.FromSeconds(30);

    [Fact]
    public void FirstAttempt_IsCancelledAtItsDeadline()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        using var lease = timeouts.Start(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(lease.Token.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(lease.Token.IsCancellationRequested);
    }

    [Fact]
    public void ReusedLease_TimerStartedByAnEarlierAttempt_CancelsAtTheLaterAttemptsOwnDeadline()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        var first = timeouts.Start(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));
        first.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        // The same lease, its timer still due at 30 s from the first attempt's start.
        var second = timeouts.Start(CancellationToken.None);
        Assert.Same(first, second);

        // Past the first attempt's deadline: the timer comes early and re-arms for the rest.
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(second.Token.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(second.Token.IsCancellationRequested);
        second.Dispose();
    }

    [Fact]
    public void ReusedLease_WhoseTimerStoppedWhileIdle_IsStartedAgain()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        timeouts.Start(CancellationToken.None).Dispose();

        // The timer comes due with no attempt holding the lease, and stops.
        time.Advance(TimeSpan.FromMinutes(2));

        var lease = timeouts.Start(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(lease.Token.IsCancellationRequested);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(lease.Token.IsCancellationRequested);
        lease.Dispose();
    }

    [Fact]
    public void EndedAttempt_IsNotCancelledWhenTheTimerComesDue()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        var lease = timeouts.Start(CancellationToken.None);
        var token = lease.Token;
        lease.Dispose();
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(token.IsCancellationRequested);
    }

    [Fact]
    public void FiredLease_IsNotReused()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        var fired = timeouts.Start(CancellationToken.None);
        time.Advance(Timeout30);
        Assert.True(fired.Token.IsCancellationRequested);
        fired.Dispose();

        using var next = timeouts.Start(CancellationToken.None);
        Assert.NotSame(fired, next);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void TwoHandlersOnOneThread_EachGetsBackItsOwnLeases()
    {
        var time = new FakeTimeProvider();
        var first = new AttemptTimeouts(Timeout30, time);
        var second = new AttemptTimeouts(TimeSpan.FromSeconds(5), time);

        var a = first.Start(CancellationToken.None);
        a.Dispose();
        var b = second.Start(CancellationToken.None);
        Assert.NotSame(a, b);
        b.Dispose();

        // a was displaced from the thread's slot by b and went back to its own handler.
        var again = first.Start(CancellationToken.None);
        Assert.Same(a, again);
        Assert.Same(first, again.Owner);

        // And runs on its own handler's timeout, not the other's.
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(again.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(again.Token.IsCancellationRequested);
        again.Dispose();
    }

    [Fact]
    public async Task LeaseEndedOnAnotherThread_IsReusedWithItsOwnDeadline()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);

        var lease = timeouts.Start(CancellationToken.None);
        await Task.Run(lease.Dispose, BillingImports.Tests.Support.TestContext.Token);

        using var next = timeouts.Start(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(next.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void CallerCancels_ReusedLease_IsCancelledAndThenDropped()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);
        timeouts.Start(CancellationToken.None).Dispose();
        using var caller = new CancellationTokenSource();

        var lease = timeouts.Start(caller.Token);
        caller.Cancel();
        Assert.True(lease.Token.IsCancellationRequested);
        lease.Dispose();

        using var next = timeouts.Start(CancellationToken.None);
        Assert.NotSame(lease, next);
        Assert.False(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void SameCallerTokenOverAttempts_CancellingItEndsTheAttemptThatHoldsTheLease()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);
        using var caller = new CancellationTokenSource();

        // The registration on the caller's token is kept from the first attempt for the second.
        timeouts.Start(caller.Token).Dispose();
        var second = timeouts.Start(caller.Token);
        Assert.False(second.Token.IsCancellationRequested);

        caller.Cancel();
        Assert.True(second.Token.IsCancellationRequested);
        second.Dispose();
    }

    [Fact]
    public void CallerTokenCancelledWhileTheLeaseIsIdle_NextAttemptWithItIsCancelledAtOnce()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);
        using var caller = new CancellationTokenSource();

        var first = timeouts.Start(caller.Token);
        first.Dispose();
        caller.Cancel();

        using var next = timeouts.Start(caller.Token);
        Assert.True(next.Token.IsCancellationRequested);
    }

    [Fact]
    public void EarlierCallersTokenCancelledLater_DoesNotCancelAnAttemptWithAnotherToken()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);
        using var earlier = new CancellationTokenSource();
        using var later = new CancellationTokenSource();

        timeouts.Start(earlier.Token).Dispose();
        var lease = timeouts.Start(later.Token);
        earlier.Cancel();
        Assert.False(lease.Token.IsCancellationRequested);

        later.Cancel();
        Assert.True(lease.Token.IsCancellationRequested);
        lease.Dispose();
    }

    [Fact]
    public void EarlierCallersTokenCancelledWhileIdle_LeaseIsNotHandedOutCancelled()
    {
        var time = new FakeTimeProvider();
        var timeouts = new AttemptTimeouts(Timeout30, time);
        using var earlier = new CancellationTokenSource();

        var first = timeouts.Start(earlier.Token);
        first.Dispose();
        earlier.Cancel();

        using var next = timeouts.Start(CancellationToken.None);
        Assert.False(next.Token.IsCancellationRequested);
        time.Advance(Timeout30);
        Assert.True(next.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task ManyAttemptsOnManyThreads_EachEndsUncancelledOrAtItsCallersCancellation()
    {
        var timeouts = new AttemptTimeouts(Timeout30, TimeProvider.System);
        using var shared = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                using var own = new CancellationTokenSource();
                var token = i % 3 == 0 ? own.Token : shared.Token;
                var lease = timeouts.Start(token);
                Assert.False(lease.Token.IsCancellationRequested);
                if (i % 7 == 0)
                {
                    own.Cancel();
                    Assert.Equal(token == own.Token, lease.Token.IsCancellationRequested);
                }

                lease.Dispose();
            }
        }));

        await Task.WhenAll(workers);
    }
}
