namespace BillingImports;

/// <summary>The longest delay a timer takes, shared by the retry handler, the polling loop and option validation.</summary>
internal static class Timers
{
    /// <summary>
    /// The longest due time <c>Task.Delay</c> and <see cref="TimeProvider.CreateTimer"/> accept
    /// (about 49.7 days); a longer one throws <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>The delay, or <see cref="MaxDelay"/> when it is longer.</summary>
    public static TimeSpan Clamp(TimeSpan delay) => delay > MaxDelay ? MaxDelay : delay;
}
