using System.Diagnostics;
using System.Globalization;

namespace BillingImports.Benchmarks;

/// <summary>
/// What starting and ending one attempt's timeout costs (the retry handler's lease: token source,
/// timer, the registration on the caller's token), on one thread and on two at once, with the
/// caller's token every call of an HttpClient shares (its token for pending requests, what a call
/// without a token of its own brings) and with none. The load comparison cannot resolve costs of
/// this size; under load, what two cores contend for is what shows here.
/// </summary>
public static class AttemptTimeoutCost
{
    public static async Task RunAsync(TextWriter output, int operations)
    {
        using var shared = new CancellationTokenSource();
        await output.WriteLineAsync("| caller's token | one thread, CPU per start and end | two threads, CPU per start and end |").ConfigureAwait(false);
        await output.WriteLineAsync("| --- | --- | --- |").ConfigureAwait(false);
        foreach (var (name, token) in new[] { ("shared by every call (an HttpClient's)", shared.Token), ("none", CancellationToken.None) })
        {
            var timeouts = new AttemptTimeouts(TimeSpan.FromSeconds(30), TimeProvider.System);
            Run(timeouts, operations / 10, threads: 1, token);
            var one = Run(timeouts, operations, threads: 1, token);
            var two = Run(timeouts, operations, threads: 2, token);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| {name} | {one:F0} ns | {two:F0} ns |")).ConfigureAwait(false);
        }
    }

    /// <summary>CPU time per start and end, in nanoseconds.</summary>
    private static double Run(AttemptTimeouts timeouts, int operations, int threads, CancellationToken token)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            for (var i = 0; i < operations; i++)
            {
                timeouts.Start(token).Dispose();
            }
        });

        return (Environment.CpuUsage.TotalTime - cpu).TotalNanoseconds / ((double)operations * threads);
    }
}
