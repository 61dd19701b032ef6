// A Hangfire server sharing a PostgreSQL database with others, polling waits against a loopback
// responder, and appending each wait's completion to a file as one JSON line.
//   BillingImports.Hangfire.TestHost <connection string> <responder address> <server name> <completions file> <poll interval ms>
// Prints "ready" once its Hangfire server runs; stops on SIGTERM, or is killed.
using System.Globalization;
using System.Text.Json;
using BillingImports;
using BillingImports.Hangfire;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: BillingImports.Hangfire.TestHost <connection string> <responder address> <server name> <completions file> <poll interval ms>");
    return 2;
}

var (connectionString, responder, name, completions) = (args[0], new Uri(args[1]), args[2], args[3]);
var interval = TimeSpan.FromMilliseconds(int.Parse(args[4], CultureInfo.InvariantCulture));

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddHangfire(hangfire => hangfire.UsePostgreSqlStorage(
    connection => connection.UseNpgsqlConnection(connectionString),
    new PostgreSqlStorageOptions
    {
        // Short intervals so the test runs in seconds: a dead server's job is fetched again after
        // the invisibility timeout, which live servers keep extending for the jobs they run.
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
        InvisibilityTimeout = TimeSpan.FromSeconds(5),
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromSeconds(10),
        PrepareSchemaIfNecessary = false,
    }));
builder.Services.AddHangfireServer(server =>
{
    server.ServerName = name;
    server.WorkerCount = 4;
    server.SchedulePollingInterval = TimeSpan.FromMilliseconds(100);
});
builder.Services.AddElasticPathClient(options =>
{
    options.ClientId = "hangfire-test-client";
    options.ClientSecret = "hangfire-test-secret-0123456789";
    options.BaseAddress = responder;
    options.UserAgent = "testhost-" + name;
});
builder.Services.AddBillingImportsHangfire(async (completion, cancellationToken) =>
{
    var line = JsonSerializer.Serialize(new Dictionary<string, string?>
    {
        ["server"] = name,
        ["waitId"] = completion.WaitId,
        ["outcome"] = completion.Outcome.ToString(),
        ["attempt"] = completion.Checkpoint.Attempt.ToString(CultureInfo.InvariantCulture),
        ["deadline"] = completion.Checkpoint.Deadline?.ToString("O", CultureInfo.InvariantCulture),
        ["completedAt"] = completion.CompletedAt.ToString("O", CultureInfo.InvariantCulture),
        ["failingLines"] = string.Join("; ", completion.FailingLines),
        ["error"] = completion.Error,
    });

    // One write with O_APPEND: lines from two processes never interleave.
    await File.AppendAllTextAsync(completions, line + "\n", cancellationToken);
});
builder.Services.Configure<BillingImportsHangfireOptions>(options =>
    options.Polling = new PollingOptions { InitialInterval = interval, MaxInterval = interval, Jitter = 0 });

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
return 0;
