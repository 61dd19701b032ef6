using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using BillingImports.Benchmarks.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using BillingImports.Tests.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// Polling cost and responsiveness, measured rather than timed: requests issued and the delay
/// between an import finishing and the wait seeing it, in virtual time, against an oracle that
/// knows the finish time (one request, no delay) and against fixed one-second polling; then
/// 10,000 concurrent waits in one process on the real clock: the memory a parked wait holds, and
/// the request rate 10,000 waits on one client keep to under its rate limit, measured at a loopback
/// server.
/// </summary>
internal static class PollingReport
{
    public static async Task RunAsync(TextWriter output, int rateLimit = 1_000)
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
        await output.WriteLineAsync().ConfigureAwait(false);
        await RateLimitedAsync(output, 10_000, rateLimit).ConfigureAwait(false);
    }

    /// <summary>
    /// 10,000 data source waits on one SDK client (its whole pipeline: rate limiter, retries,
    /// telemetry, Basic auth) against Kestrel on loopback, which answers <c>working</c> to each
    /// source's first poll and <c>idle</c> after: 20,000 requests wanted at once. The server notes
    /// when each arrives; the report gives the most requests in any one-second window and the mean.
    /// </summary>
    private static async Task RateLimitedAsync(TextWriter output, int waits, int rate)
    {
        var arrivals = new long[waits * 3];
        var count = 0;
        var polls = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var working = Encoding.UTF8.GetBytes("""{"uuid":"ds_x","name":"Fleet","system":"Import API","created_at":"2024-01-01T00:00:00.000Z","status":"working"}""");
        var idle = Encoding.UTF8.GetBytes("""{"uuid":"ds_x","name":"Fleet","system":"Import API","created_at":"2024-01-01T00:00:00.000Z","status":"idle"}""");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/v1/data_sources/{uuid}", (string uuid) =>
        {
            var index = Interlocked.Increment(ref count) - 1;
            if (index < arrivals.Length)
            {
                arrivals[index] = Stopwatch.GetTimestamp();
            }

            return Results.Bytes(polls.AddOrUpdate(uuid, 1, (_, n) => n + 1) == 1 ? working : idle, "application/json");
        });
        await app.StartAsync().ConfigureAwait(false);

        using var client = new ChartMogulClient(new ChartMogulClientOptions
        {
            ApiKey = "benchmark-api-key-0123456789",
            BaseAddress = new Uri(app.Urls.First() + "/"),
            MaxRequestsPerSecond = rate,
        });
        // Warm up first, as any benchmark does: the first requests of a process wait for the JIT
        // on both sides, and the permits granted meanwhile would reach the server together.
        await client.DataSources.WaitForAllAsync(
            Enumerable.Range(0, 50).Select(i => "ds_warm_" + i.ToString(CultureInfo.InvariantCulture)),
            new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(10), MaxInterval = TimeSpan.FromMilliseconds(10) }).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        Interlocked.Exchange(ref count, 0);

        var ids = Enumerable.Range(0, waits).Select(i => "ds_" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var stopwatch = Stopwatch.StartNew();
        var all = await client.DataSources.WaitForAllAsync(
            ids,
            new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(200), MaxInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMinutes(30) }).ConfigureAwait(false);
        stopwatch.Stop();

        var times = arrivals.Take(Math.Min(count, arrivals.Length)).Order().ToArray();
        var second = Stopwatch.Frequency;
        var peak = 0;
        for (int first = 0, last = 0; last < times.Length; last++)
        {
            while (times[last] - times[first] >= second)
            {
                first++;
            }

            peak = Math.Max(peak, last - first + 1);
        }
        var span = (times[^1] - times[0]) / (double)second;
        var mean = span > 0 ? (times.Length - 1) / span : 0;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"## {waits:N0} waits on one client limited to {rate:N0} requests/s (loopback Kestrel, real clock)")).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("| measure | value |").ConfigureAwait(false);
        await output.WriteLineAsync("|---|---|").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| waits succeeded | {all.Progress.Succeeded:N0} of {waits:N0} |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| requests | {times.Length:N0} in {span:F1} s |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| most requests in any one-second window (limit {rate:N0}) | {peak:N0} |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| mean requests per second | {mean:F0} |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| wall time (ideal: {times.Length / (double)rate:F1} s) | {stopwatch.Elapsed.TotalSeconds:F1} s |")).ConfigureAwait(false);
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
        var parked = await MemoryPerParkedWaitAsync(waits).ConfigureAwait(false);
        var handler = new CountingHandler(pollsUntilDone: 5);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://imports.invalid/") };
        var client = new SubscriptionImportsClient(http);
        var options = new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(200), BackoffFactor = 1, MaxInterval = TimeSpan.FromMilliseconds(200) };

        var stopwatch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, waits)
            .Select(i => client.WaitForCompletionAsync("import-" + i.ToString(CultureInfo.InvariantCulture), options))
            .ToArray();

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
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| memory held per parked wait | {parked:F0} bytes |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| requests | {handler.Requests:N0} |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| wall time (ideal: 0.8 s) | {stopwatch.Elapsed.TotalSeconds:F2} s |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| worst thread-pool probe latency | {worstProbe.TotalMilliseconds:F1} ms |")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| most thread-pool threads | {maxThreads} (on {Environment.ProcessorCount} cores) |")).ConfigureAwait(false);
    }

    /// <summary>
    /// The memory a wait holds while it sleeps between polls: 10,000 waits each make one poll and
    /// park for 2 s; once every first poll is answered, the heap is measured against the one before
    /// they started. (They then time out at 3 s, without a token, as the waits above run.)
    /// </summary>
    private static async Task<double> MemoryPerParkedWaitAsync(int waits)
    {
        var handler = new CountingHandler(pollsUntilDone: int.MaxValue);
        using var http = new HttpClient(handler) { BaseAddress = new Uri("http://imports.invalid/") };
        var client = new SubscriptionImportsClient(http);
        var options = new PollingOptions { InitialInterval = TimeSpan.FromSeconds(2), MaxInterval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(3) };

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var tasks = Enumerable.Range(0, waits)
            .Select(i => client.WaitForCompletionAsync("parked-" + i.ToString(CultureInfo.InvariantCulture), options))
            .ToArray();
        for (var i = 0; i < 500 && handler.Requests < waits; i++)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        // The last answers are still on their way back to their waits.
        await Task.Delay(100).ConfigureAwait(false);
        var during = GC.GetTotalMemory(forceFullCollection: true);
        foreach (var task in tasks)
        {
            try
            {
                await task.ConfigureAwait(false);
            }
            catch (PollingTimeoutException)
            {
                // Every one of them: the imports never finish.
            }
        }

        return (during - before) / (double)waits;
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
