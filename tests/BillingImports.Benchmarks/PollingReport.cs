using System.Diagnostics;
using System.Globalization;
using System.Net;
using BillingImports.Benchmarks.Support;
using BillingImports.Tests.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// Polling cost and responsiveness, measured rather than timed: requests issued and the delay
/// between an import finishing and the wait seeing it, in virtual time, against an oracle that
/// knows the finish time (one request, no delay) and against fixed one-second polling; then
/// 10,000 concurrent waits in one process on the real clock.
/// </summary>
internal static class PollingReport
{
    public static async Task RunAsync(TextWriter output)
    {
        await output.WriteLineAsync("## Polling: requests and detection delay (virtual time, default PollingOptions)").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Each row: 25 waits with the default jitter (mean and worst); the oracle knows the finish time; fixed 1 s is Graph-style polling.").ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("| import finishes at | SDK requests (mean) | SDK detection delay (mean / worst) | oracle requests / delay | fixed 1 s requests / delay |").ConfigureAwait(false);
        await output.WriteLineAsync("|---|---|---|---|---|").ConfigureAwait(false);
        // Off the whole second, as real imports are, so fixed-interval polling is not flattered by alignment.
        foreach (var finish in new[] { TimeSpan.FromSeconds(1.3), TimeSpan.FromSeconds(60.3), TimeSpan.FromSeconds(1800.3) })
        {
            var trials = new List<(int Requests, TimeSpan Delay)>();
            for (var trial = 0; trial < 25; trial++)
            {
                trials.Add(await MeasureAsync(finish, new PollingOptions()).ConfigureAwait(false));
            }

            var fixedOneSecond = await MeasureAsync(finish, new PollingOptions { BackoffFactor = 1, Jitter = 0, MaxInterval = TimeSpan.FromSeconds(1) }).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"| {finish} | {trials.Average(t => t.Requests):F1} | {trials.Average(t => t.Delay.TotalSeconds):F1} s / {trials.Max(t => t.Delay.TotalSeconds):F1} s | 1 / 0 s | {fixedOneSecond.Requests} / {fixedOneSecond.Delay.TotalSeconds:F1} s |")).ConfigureAwait(false);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await ConcurrencyAsync(output, 10_000).ConfigureAwait(false);
    }

    private static async Task<(int Requests, TimeSpan Delay)> MeasureAsync(TimeSpan finish, PollingOptions options)
    {
        var time = new VirtualTime();
        options.TimeProvider = time;
        var handler = new FinishingHandler(time, finish);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://imports.invalid/") };
        await new SubscriptionImportsClient(http).WaitForCompletionAsync(Payloads.ImportId, options).ConfigureAwait(false);
        return (handler.Requests, time.Elapsed - finish);
    }

    private static async Task ConcurrencyAsync(TextWriter output, int waits)
    {
        var handler = new CountingHandler(pollsUntilDone: 5);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://imports.invalid/") };
        var client = new SubscriptionImportsClient(http);
        var options = new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(200), BackoffFactor = 1, MaxInterval = TimeSpan.FromMilliseconds(200) };

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, waits)
            .Select(i => client.WaitForCompletionAsync("import-" + i.ToString(CultureInfo.InvariantCulture), options))
            .ToArray();

        // Sample while every wait is parked between polls.
        await Task.Delay(100).ConfigureAwait(false);
        var during = GC.GetTotalMemory(forceFullCollection: true);
        var worstProbe = TimeSpan.Zero;
        var maxThreads = ThreadPool.ThreadCount;
        while (!tasks.All(task => task.IsCompleted))
        {
            var probe = Stopwatch.StartNew();
            await Task.Run(() => { }).ConfigureAwait(false);
            worstProbe = probe.Elapsed > worstProbe ? probe.Elapsed : worstProbe;
            maxThreads = Math.Max(maxThreads, ThreadPool.ThreadCount);
            await Task.Delay(20).ConfigureAwait(false);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        stopwatch.Stop();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"## {waits:N0} concurrent waits (5 polls each, 200 ms apart, real clock)")).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("| measure | value |").ConfigureAwait(false);
        await output.WriteLineAsync("|---|---|").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| memory held per parked wait | {(during - before) / (double)waits:F0} bytes |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| requests | {handler.Requests:N0} |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| wall time (ideal: 0.8 s) | {stopwatch.Elapsed.TotalSeconds:F2} s |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| worst thread-pool probe latency | {worstProbe.TotalMilliseconds:F1} ms |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| most thread-pool threads | {maxThreads} (on {Environment.ProcessorCount} cores) |")).ConfigureAwait(false);
    }

    /// <summary>Answers "started" until a virtual instant, then "success".</summary>
    private sealed class FinishingHandler(TimeProvider time, TimeSpan finishAt) : HttpMessageHandler
    {
        private readonly long _start = time.GetTimestamp();
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var done = time.GetElapsedTime(_start) >= finishAt;
            return Task.FromResult(Json(Payloads.ImportWithStatus(done ? "success" : "started", done ? 100 : 50, 100)));
        }
    }

    /// <summary>Answers "started" for each id until its n-th poll, then "success".</summary>
    private sealed class CountingHandler(int pollsUntilDone) : HttpMessageHandler
    {
        private static readonly byte[] Started = Payloads.ImportWithStatus("started", 50, 100);
        private static readonly byte[] Success = Payloads.ImportWithStatus("success", 100, 100);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _polls = new();
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            var polls = _polls.AddOrUpdate(request.RequestUri!.ToString(), 1, (_, count) => count + 1);
            return Task.FromResult(Json(polls >= pollsUntilDone ? Success : Started));
        }
    }

    private static HttpResponseMessage Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
