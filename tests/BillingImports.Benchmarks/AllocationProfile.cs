using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// Where a contender's bytes go, by type: the runtime reports one allocation event per ~100 KB
/// allocated on a thread, naming the type of the object that crossed the line, so over many calls
/// each type's share of the events is its share of the bytes. Used to find what a call allocates;
/// the paired comparison gives the figures.
/// </summary>
public static class AllocationProfile
{
    public static async Task RunAsync(TextWriter output, string endpoint, string contenderName, int calls)
    {
        await using var server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        using var contenders = new Contenders(server.BaseAddress);
        var contender = contenders.For(endpoint).Single(c => c.Name == contenderName);
        using (contender.Around?.Invoke())
        {
            for (var i = 0; i < 2_000; i++)
            {
                await contender.Call().ConfigureAwait(false);
            }
        }

        using var listener = new AllocationListener();
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        using (contender.Around?.Invoke())
        {
            for (var i = 0; i < calls; i++)
            {
                await contender.Call().ConfigureAwait(false);
            }
        }

        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)calls;
        listener.Stop();
        var total = listener.Samples.Values.Sum();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{contenderName}, {endpoint}: {perCall:N0} B per call over {calls:N0} calls; {total:N0} samples")).ConfigureAwait(false);
        foreach (var (type, count) in listener.Samples.OrderByDescending(pair => pair.Value).Take(40))
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count * perCall / total,8:N0} B  {type}")).ConfigureAwait(false);
        }
    }

    private sealed class AllocationListener : EventListener
    {
        private volatile bool _stopped;

        public ConcurrentDictionary<string, long> Samples { get; } = new();

        public void Stop() => _stopped = true;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                // GC keyword (0x1) at Verbose carries GCAllocationTick.
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (_stopped || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
            {
                return;
            }

            var index = eventData.PayloadNames.IndexOf("TypeName");
            if (index >= 0 && eventData.Payload?[index] is string type)
            {
                Samples.AddOrUpdate(type, 1, (_, n) => n + 1);
            }
        }
    }
}
