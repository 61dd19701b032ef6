using System.Globalization;
using BillingImports;
using BillingImports.Testing;

// Starts the fake server on a free loopback port with one scripted import, prints its base address
// as the only line on standard output, and serves until it is stopped or its lifetime (first
// argument, seconds; default 300) runs out, so a failed CI step cannot leave it running.
var lifetime = TimeSpan.FromSeconds(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300);

using var server = new FakeBillingServer();

// The ids are the AOT sample's (samples/BillingImports.AotWorker/appsettings.json): the data source
// is the spec's example; the import runs for a few polls with growing counts, then succeeds.
server.Imports.Add("0e6f9d0c-3b1a-4f2e-9c55-2f1d7e3a4b60")
    .WithUploadedRecords((RecordTypes.Subscription, 40))
    .Pending()
    .Started(polls: 3)
    .Succeeds();

Console.WriteLine(server.BaseAddress);
Console.Out.Flush();

using var stop = new CancellationTokenSource(lifetime);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Stopped or out of time: both end the fake normally.
}
