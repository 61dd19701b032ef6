using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// The client's request budget on its own, on a fake clock: at most N requests in any one second,
/// in order, retries first, a pause for everyone when a server asks for one.
/// </summary>
public sealed class RequestRateLimiterTests
{
    /// <summary>What the limiter counts as a second: one, plus the headroom for the way to the wire.</summary>
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1) + RequestRateLimiter.Headroom;

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Acquire_BurstUpToTheRate_GoesAtOnceAndTheNextWaitsForTheOldestToBeASecondAndTheHeadroomOld()
    {
        using var limiter = new RequestRateLimiter(3, _time);
        var burst = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(1, TestContext.Token)).ToList();
        _time.Advance(TimeSpan.FromMilliseconds(400));

        var fourth = limiter.AcquireAsync(1, TestContext.Token).AsTask();
        _time.Advance(Second - TimeSpan.FromMilliseconds(401));
        var stillWaiting = fourth.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.All(burst, acquire => Assert.True(acquire.IsCompletedSuccessfully && acquire.Result.IsAcquired));
        Assert.False(stillWaiting);
        Assert.True((await fourth.WaitAsync(TestContext.Token)).IsAcquired);
    }

    [Fact]
    public async Task Acquire_ManyRequestsOverTime_NeverMoreThanTheRateInAnyOneSecond()
    {
        const int rate = 20;
        using var limiter = new RequestRateLimiter(rate, _time);
        var random = new Random(20261122);
        var pending = new List<Task<RateLimitLease>>();
        var granted = new List<TimeSpan>();
        var start = _time.GetTimestamp();

        // 300 requests arrive in bursts at random instants over about 5 seconds; the clock moves 1 ms at a time.
        for (var step = 0; step < 30_000 && (granted.Count < 300); step++)
        {
            if (step < 5_000 && random.Next(100) < 3)
            {
                for (var i = random.Next(1, 8); i > 0 && pending.Count + granted.Count < 300; i--)
                {
                    pending.Add(limiter.AcquireAsync(1, TestContext.Token).AsTask());
                }
            }

            _time.Advance(TimeSpan.FromMilliseconds(1));
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                if (pending[i].IsCompleted)
                {
                    Assert.True((await pending[i]).IsAcquired);
                    granted.Add(_time.GetElapsedTime(start));
                    pending.RemoveAt(i);
                }
            }
        }

        granted.Sort();
        Assert.Equal(300, granted.Count);

        // Each grant is seen within 1 ms of when it was made, so any rate + 1 grants span more than a second and the headroom, less 1 ms.
        for (var i = 0; i + rate < granted.Count; i++)
        {
            Assert.True(granted[i + rate] - granted[i] >= Second - TimeSpan.FromMilliseconds(1), $"{rate + 1} requests within {granted[i + rate] - granted[i]}");
        }

        // And the budget is used: 300 requests at 20 per 1.05 s take about 15.75 seconds, not far more.
        Assert.InRange(granted[^1], TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(16));
    }

    [Fact]
    public async Task AcquireRetry_GoesAheadOfRequestsWaitingForTheirFirstAttempt()
    {
        using var limiter = new RequestRateLimiter(1, _time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        var first = limiter.AcquireAsync(1, TestContext.Token).AsTask();
        var retry = limiter.AcquireRetryAsync(TestContext.Token).AsTask();

        _time.Advance(Second);
        await retry.WaitAsync(TestContext.Token);
        var firstAfterOneSecond = first.IsCompleted;
        _time.Advance(Second);

        Assert.False(firstAfterOneSecond);
        Assert.True((await first.WaitAsync(TestContext.Token)).IsAcquired);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_ThrowsAndTakesNoPermit()
    {
        using var limiter = new RequestRateLimiter(1, _time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(1, cancel.Token).AsTask();
        var behind = limiter.AcquireAsync(1, TestContext.Token).AsTask();

        await cancel.CancelAsync();
        _time.Advance(Second);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.True((await behind.WaitAsync(TestContext.Token)).IsAcquired);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentQueuedCount);
    }

    [Fact]
    public async Task PauseFor_HoldsEveryRequestUntilItEnds_ThenTheBudgetApplies()
    {
        using var limiter = new RequestRateLimiter(10, _time);
        limiter.PauseFor(TimeSpan.FromSeconds(7));

        var held = Enumerable.Range(0, 3).Select(_ => limiter.AcquireAsync(1, TestContext.Token).AsTask()).ToList();
        _time.Advance(TimeSpan.FromSeconds(6.9));
        var heldAt69 = held.Count(task => task.IsCompleted);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(0, heldAt69);
        await Task.WhenAll(held).WaitAsync(TestContext.Token);
        Assert.All(held, task => Assert.True(task.Result.IsAcquired));
    }

    [Fact]
    public void AttemptAcquire_Refused_SaysWhenToComeBack()
    {
        using var limiter = new RequestRateLimiter(1, _time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(250));

        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(Second - TimeSpan.FromMilliseconds(250), retryAfter);
        Assert.Equal(1, limiter.GetStatistics()!.TotalFailedLeases);
    }

    [Fact]
    public async Task Acquire_ManyWaiting_GoOneIntervalApartNotASecondsWorthAtOnce()
    {
        using var limiter = new RequestRateLimiter(20, _time);
        var burst = Enumerable.Range(0, 10).Select(_ => limiter.AcquireAsync(1, TestContext.Token).AsTask()).ToList();
        var waiting = Enumerable.Range(0, 10).Select(_ => limiter.AcquireAsync(1, TestContext.Token).AsTask()).ToList();

        var served = new List<int>();
        for (var step = 0; step < 10; step++)
        {
            _time.Advance(Second / 20);
            await Task.Yield();
            served.Add(waiting.Count(task => task.IsCompleted));
        }

        // Ten go at once after a quiet spell; the next ten one interval (1.05 s / 20) apart.
        Assert.All(burst, task => Assert.True(task.IsCompletedSuccessfully));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], served);
        Assert.True((await Task.WhenAll(waiting)).All(lease => lease.IsAcquired));
    }

    [Fact]
    public async Task Dispose_FailsTheRequestsStillWaiting()
    {
        var limiter = new RequestRateLimiter(1, _time);
        Assert.True(limiter.AttemptAcquire().IsAcquired);
        var waiting = limiter.AcquireAsync(1, TestContext.Token).AsTask();

        limiter.Dispose();

        Assert.False((await waiting.WaitAsync(TestContext.Token)).IsAcquired);
        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public void Acquire_MorePermitsThanTheRate_ThrowsArgumentOutOfRange()
    {
        using var limiter = new RequestRateLimiter(2, _time);

        Assert.Throws<ArgumentOutOfRangeException>(() => limiter.AttemptAcquire(3));
    }
}
