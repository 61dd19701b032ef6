namespace BillingImports;

/// <summary>Random spread for backoff delays, shared by the retry handler and the polling loop.</summary>
internal static class Jitter
{
    /// <summary>Spreads <paramref name="delay"/> at random by up to <paramref name="fraction"/> either way.</summary>
    public static TimeSpan Apply(TimeSpan delay, double fraction)
    {
        if (fraction == 0)
        {
            return delay;
        }

        // CA5394: jitter only spreads load; it needs no cryptographic randomness.
#pragma warning disable CA5394
        var spread = 1 + (fraction * ((Random.Shared.NextDouble() * 2) - 1));
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(delay.Ticks * spread));
    }
}
