using System.Diagnostics;
using System.Globalization;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// The per-call comparison that holds on a noisy machine: in every round each contender runs one
/// batch of calls, in an order that rotates from round to round, and its time and allocations are
/// divided by the floor's in the same round. Noise that hits a whole round (another build, a GC, a
/// CPU frequency change) cancels out of the ratio; the median over the rounds is the figure.
/// The server runs in its own process, so the allocations are the client's alone.
/// </summary>
public static class PairedComparison
{
    public static async Task RunAsync(TextWriter output, int rounds, int batch)
    {
        await using var server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        using var contenders = new Contenders(server.BaseAddress);
        await contenders.WarmUpAsync(2_000).ConfigureAwait(false);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Paired per-call comparison: {rounds} rounds of {batch} sequential calls per contender, ratios to the floor of the same round (median, with the 25th-75th percentile range)."));
        foreach (var endpoint in Contenders.Endpoints)
        {
            var field = contenders.For(endpoint);
            var samples = await MeasureAsync(field, rounds, batch).ConfigureAwait(false);
            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"| {endpoint} | time ratio | time ratio p25-p75 | allocated per call | alloc ratio | median per call | client CPU ratio |").ConfigureAwait(false);
            await output.WriteLineAsync("| --- | --- | --- | --- | --- | --- | --- |").ConfigureAwait(false);
            foreach (var contender in field)
            {
                var rows = samples[contender.Name];
                var floor = samples[Contenders.Floor];
                var time = rows.Select((s, i) => s.Ticks / floor[i].Ticks).ToArray();
                var alloc = rows.Select((s, i) => s.Bytes / floor[i].Bytes).ToArray();
                var cpu = rows.Select((s, i) => s.Cpu / floor[i].Cpu).ToArray();
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {contender.Name} | {Statistics.Median(time):F2} | {Statistics.Percentile(time, 0.25):F2}-{Statistics.Percentile(time, 0.75):F2} | {Statistics.Median(rows.Select(s => s.Bytes / batch)):N0} B | {Statistics.Median(alloc):F2} | {Statistics.Median(rows.Select(s => s.Ticks * 1e6 / Stopwatch.Frequency / batch)):F1} µs | {Statistics.Median(cpu):F2} |")).ConfigureAwait(false);
            }

            // "Ahead of the peers" measured head to head: the SDK's time over each peer's in the
            // same round, so the floor's own noise does not enter the comparison.
            await output.WriteLineAsync().ConfigureAwait(false);
            foreach (var peer in new[] { Contenders.NSwag, Contenders.Refit })
            {
                var sdk = samples[Contenders.Sdk];
                var other = samples[peer];
                var ratio = sdk.Select((s, i) => s.Ticks / other[i].Ticks).ToArray();
                var faster = ratio.Count(r => r < 1) * 100.0 / ratio.Length;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"SDK time / {peer} time, same round: median {Statistics.Median(ratio):F3} (p25-p75 {Statistics.Percentile(ratio, 0.25):F3}-{Statistics.Percentile(ratio, 0.75):F3}); the SDK was faster in {faster:F0}% of rounds.")).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Per contender, per round: (elapsed ticks, bytes allocated, process CPU time) for one batch.</summary>
    private static async Task<Dictionary<string, List<(double Ticks, double Bytes, double Cpu)>>> MeasureAsync(IReadOnlyList<Contender> field, int rounds, int batch)
    {
        var samples = field.ToDictionary(c => c.Name, _ => new List<(double Ticks, double Bytes, double Cpu)>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < field.Count; k++)
            {
                var contender = field[(round + k) % field.Count];
                using var around = contender.Around?.Invoke();
                var bytes = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Environment.CpuUsage.TotalTime;
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch; i++)
                {
                    await contender.Call().ConfigureAwait(false);
                }

                var elapsed = Stopwatch.GetTimestamp() - started;
                samples[contender.Name].Add((elapsed, GC.GetTotalAllocatedBytes(precise: true) - bytes, (Environment.CpuUsage.TotalTime - cpu).Ticks));
            }
        }

        return samples;
    }
}

/// <summary>
/// Throughput with many calls in flight through one client: in each round every contender completes
/// the same number of calls with <c>inFlight</c> of them outstanding at all times, in rotating order.
/// </summary>
public static class LoadComparison
{
    public static async Task RunAsync(TextWriter output, int rounds, int inFlight, int calls)
    {
        await using var server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        using var contenders = new Contenders(server.BaseAddress);
        await contenders.WarmUpAsync(500).ConfigureAwait(false);
        ThreadPool.GetMinThreads(out var workers, out var io);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Load comparison: {rounds} rounds, {calls} calls per contender per round, {inFlight} in flight through one client; ratios to the floor of the same round (median). Thread pool minimum {workers}/{io}.")).ConfigureAwait(false);
        foreach (var endpoint in Contenders.Endpoints)
        {
            var field = contenders.UnderLoad(endpoint);
            var results = field.ToDictionary(c => c.Name, _ => new List<(double CallsPerSecond, double BytesPerCall, double CpuPerCall)>());
            foreach (var contender in field)
            {
                // Unmeasured runs first: the connections a contender opens under load, and the JIT's
                // tiering of the code it runs there, which goes on in the background for a few
                // seconds and would otherwise bill a contender for its first measured rounds.
                await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false);
                await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false);
            }

            for (var round = 0; round < rounds; round++)
            {
                for (var k = 0; k < field.Count; k++)
                {
                    var contender = field[(round + k) % field.Count];
                    results[contender.Name].Add(await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false));
                }
            }

            await output.WriteLineAsync().ConfigureAwait(false);
            await output.WriteLineAsync($"| {endpoint}, {inFlight} in flight | calls/s (median) | throughput ratio | ratio p25-p75 | allocated per call | alloc ratio | client CPU per call | CPU ratio |").ConfigureAwait(false);
            await output.WriteLineAsync("| --- | --- | --- | --- | --- | --- | --- | --- |").ConfigureAwait(false);
            var floor = results[Contenders.Floor];
            foreach (var contender in field)
            {
                var rows = results[contender.Name];
                var ratio = rows.Select((r, i) => r.CallsPerSecond / floor[i].CallsPerSecond).ToArray();
                var alloc = rows.Select((r, i) => r.BytesPerCall / floor[i].BytesPerCall).ToArray();
                var cpu = rows.Select((r, i) => r.CpuPerCall / floor[i].CpuPerCall).ToArray();
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {contender.Name} | {Statistics.Median(rows.Select(r => r.CallsPerSecond)):N0} | {Statistics.Median(ratio):F2} | {Statistics.Percentile(ratio, 0.25):F2}-{Statistics.Percentile(ratio, 0.75):F2} | {Statistics.Median(rows.Select(r => r.BytesPerCall)):N0} B | {Statistics.Median(alloc):F2} | {Statistics.Median(rows.Select(r => r.CpuPerCall)):F1} µs | {Statistics.Median(cpu):F2} |")).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One contender of the load comparison alone, each round printed: for profiling it, where the others would mix in.</summary>
    public static async Task RunContenderAsync(TextWriter output, string endpoint, string name, int rounds, int inFlight, int calls)
    {
        await using var server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        using var contenders = new Contenders(server.BaseAddress);
        var contender = contenders.UnderLoad(endpoint).Single(c => c.Name == name);
        await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false);
        await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false);
        for (var round = 0; round < rounds; round++)
        {
            // The collector's share: how often each generation ran, and how long the process was paused for it.
            var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            var (contentions, items) = (Monitor.LockContentionCount, ThreadPool.CompletedWorkItemCount);
            var (callsPerSecond, bytesPerCall, cpuPerCall) = await RunOneAsync(contender, inFlight, calls).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{name}, {endpoint}: {callsPerSecond:N0} calls/s, {bytesPerCall:N0} B and {cpuPerCall:F1} µs of client CPU per call; GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms; {Monitor.LockContentionCount - contentions} lock contentions, {(ThreadPool.CompletedWorkItemCount - items) / (double)calls:F1} work items per call, {ThreadPool.ThreadCount} threads")).ConfigureAwait(false);
        }
    }

    private static async Task<(double CallsPerSecond, double BytesPerCall, double CpuPerCall)> RunOneAsync(Contender contender, int inFlight, int calls)
    {
        var remaining = calls;
        var cpu = Environment.CpuUsage.TotalTime;
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[inFlight];
        for (var w = 0; w < inFlight; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                while (Interlocked.Decrement(ref remaining) >= 0)
                {
                    await contender.Call().ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuPerCall = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / calls;
        return (calls / seconds, (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)calls, cpuPerCall);
    }
}

internal static class Statistics
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = p * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }
}
