using System.Text.Json;
using BillingImports.Hangfire;
using global::Hangfire;
using global::Hangfire.Common;
using global::Hangfire.PostgreSql;
using global::Hangfire.PostgreSql.Factories;
using global::Hangfire.Server;
using global::Hangfire.States;
using global::Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Hangfire;

/// <summary>
/// Waits run as Hangfire jobs on a real PostgreSQL database: two server processes share it, one is
/// killed while a poll is in flight, and the other finishes every wait, once, with its deadline.
/// </summary>
public sealed class HangfireWaitTests
{
    private const string Succeeds = "6c1e7a10-0000-4000-8000-000000000001";
    private const string Stalls = "6c1e7a10-0000-4000-8000-000000000002";
    private const string Fails = "6c1e7a10-0000-4000-8000-000000000003";
    private const int PollIntervalMs = 300;

    private static PostgreSqlStorageOptions StorageOptions() => new()
    {
        QueuePollInterval = TimeSpan.FromMilliseconds(100),
        InvisibilityTimeout = TimeSpan.FromSeconds(5),
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromSeconds(10),
        PrepareSchemaIfNecessary = true,
    };

    private static IOptions<BillingImportsHangfireOptions> Options() => Microsoft.Extensions.Options.Options.Create(new BillingImportsHangfireOptions
    {
        Polling = new PollingOptions { InitialInterval = TimeSpan.FromMilliseconds(PollIntervalMs), MaxInterval = TimeSpan.FromMilliseconds(PollIntervalMs), Jitter = 0 },
    });

    [PostgreSqlFact]
    public async Task TwoServers_OneKilledWithAPollInFlight_TheOtherFinishesEveryWaitOnceWithItsDeadline()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var postgres = await PostgreSqlServer.StartAsync(budget.Token);
        var database = await postgres.CreateDatabaseAsync(budget.Token);
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database, StorageOptions()), StorageOptions());
        using var responder = new ImportResponder();
        responder.Script(Succeeds, poll => poll >= 8 ? ("success", 100) : ("started", poll * 10));
        responder.Script(Stalls, poll => ("started", 5));
        // The failing import ends at its second poll, well before the succeeding import's fifth is
        // held and its sender killed, so no poll of it is in flight on the killed process.
        responder.Script(Fails, poll => poll >= 2 ? ("failed", 40) : ("started", poll * 10));
        responder.Hold(Succeeds, poll: 5);
        var completions = Path.Combine(Path.GetTempPath(), "billing-imports-completions-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            using var first = await HostProcess.StartAsync("A", database, responder.BaseAddress, completions, PollIntervalMs, budget.Token);
            using var second = await HostProcess.StartAsync("B", database, responder.BaseAddress, completions, PollIntervalMs, budget.Token);
            var scheduler = new WaitScheduler(new BackgroundJobClient(storage), Options());

            var succeeding = scheduler.StartImportWait(Succeeds, TimeSpan.FromMinutes(5));
            var stalling = scheduler.StartImportWait(Stalls, TimeSpan.FromSeconds(15));
            var failing = scheduler.StartImportWait(Fails, TimeSpan.FromMinutes(5));
            var stallingDeadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(15);

            // The fifth poll of the succeeding import is held: kill the process that sent it.
            while (responder.PollsOf(Succeeds).Count < 5)
            {
                Assert.False(first.HasExited || second.HasExited, first.Errors + second.Errors);
                await Task.Delay(50, budget.Token);
            }

            var inFlight = responder.PollsOf(Succeeds)[4];
            var (killed, survivor) = inFlight.UserAgent.Contains("testhost-A", StringComparison.Ordinal) ? (first, second) : (second, first);
            killed.Kill();

            var lines = await CompletionsAsync(completions, count: 3, budget.Token);
            var byWait = lines.ToDictionary(line => line["waitId"]!);

            // Once each: no completion twice, in the file or as a job.
            Assert.Equal(3, lines.Count);
            Assert.Equal([succeeding, stalling, failing], new[] { succeeding, stalling, failing }.Where(byWait.ContainsKey));
            foreach (var wait in new[] { succeeding, stalling, failing })
            {
                Assert.Equal(1, await CompletionJobsAsync(database, wait, budget.Token));
            }

            // The poll in flight was made again by the survivor, and no other poll was lost or doubled:
            // the wait counts every answered poll, one fewer than the requests (the unanswered one).
            var polls = responder.PollsOf(Succeeds);
            Assert.Equal("Succeeded", byWait[succeeding]["outcome"]);
            Assert.Equal((polls.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), byWait[succeeding]["attempt"]);
            Assert.Contains("testhost-" + survivor.Name, polls[5].UserAgent, StringComparison.Ordinal);
            Assert.Equal(survivor.Name, byWait[succeeding]["server"]);

            // The deadline fixed when the wait started held across the kill: no poll after it.
            Assert.Equal("TimedOut", byWait[stalling]["outcome"]);
            var deadline = DateTimeOffset.Parse(byWait[stalling]["deadline"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(deadline, stallingDeadline - TimeSpan.FromSeconds(5), stallingDeadline);
            Assert.All(responder.PollsOf(Stalls), poll => Assert.True(poll.At < deadline, $"poll {poll.Number} at {poll.At:O}, after the deadline {deadline:O}"));
            Assert.True(DateTimeOffset.Parse(byWait[stalling]["completedAt"]!, System.Globalization.CultureInfo.InvariantCulture) >= deadline);

            // A failed import's completion carries its failing lines.
            Assert.Equal("Failed", byWait[failing]["outcome"]);
            Assert.Equal("line 17, field plan_id: not found", byWait[failing]["failingLines"]);
            Assert.Equal("2", byWait[failing]["attempt"]);
        }
        finally
        {
            File.Delete(completions);
        }
    }

    [PostgreSqlFact]
    public async Task PollJob_RunAgainAfterItScheduledTheNext_NeitherPollsNorSchedulesAgain()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var postgres = await PostgreSqlServer.StartAsync(budget.Token);
        var database = await postgres.CreateDatabaseAsync(budget.Token);
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(database, StorageOptions()), StorageOptions());
        using var responder = new ImportResponder();
        responder.Script(Succeeds, poll => ("started", 10));
        var services = new ServiceCollection();
        services.AddElasticPathClient(options =>
        {
            options.ClientId = "hangfire-test-client";
            options.ClientSecret = "hangfire-test-secret-0123456789";
            options.BaseAddress = responder.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        var jobs = new WaitJobs(provider, Options());
        var scheduler = new WaitScheduler(new BackgroundJobClient(storage), Options());

        var waitId = scheduler.StartImportWait(Succeeds);
        using var connection = storage.GetConnection();
        var firstJob = await SingleJobAsync(database, waitId, "PollAsync", budget.Token);
        var job = connection.GetJobData(firstJob.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var context = new PerformContext(storage, connection, new BackgroundJob(firstJob.ToString(System.Globalization.CultureInfo.InvariantCulture), job.Job, job.CreatedAt), new JobCancellationToken(false));

        // The same job twice, as after its server died between scheduling the next poll and
        // recording its own success.
        await jobs.PollAsync(waitId, (string)job.Job.Args[1], context, budget.Token);
        await jobs.PollAsync(waitId, (string)job.Job.Args[1], context, budget.Token);

        Assert.Single(responder.PollsOf(Succeeds));
        Assert.Equal(2, await JobsAsync(database, waitId, "PollAsync", budget.Token));
    }

    [Fact]
    public void StartImportWait_TimeoutOutOfRange_ThrowsBeforeAnyJob()
    {
        var scheduler = new WaitScheduler(new RefusingJobClient(), Options());

        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.StartImportWait(Succeeds, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.StartDataSourceWait("ds_1", TimeSpan.FromDays(365)));
        Assert.ThrowsAny<ArgumentException>(() => scheduler.StartImportWait(" "));
    }

    [Fact]
    public void Completion_JsonRoundTrips_AndHoldsNoCredential()
    {
        var completion = new WaitCompletion
        {
            WaitId = "w1",
            Outcome = WaitOutcome.Failed,
            Checkpoint = WaitCheckpoint.ForImport(Fails) with { Attempt = 3, LastStatus = "failed" },
            CompletedAt = DateTimeOffset.UnixEpoch,
            Error = "Import failed.",
            FailingLines = [new FailingLine(17, "plan_id", "not found", "sub-0017")],
        };

        var json = completion.ToJson();
        var read = WaitCompletion.FromJson(json);

        Assert.Equal(completion.Checkpoint, read.Checkpoint);
        Assert.Equal(completion.FailingLines, read.FailingLines);
        Assert.Equal((completion.WaitId, completion.Outcome, completion.Error), (read.WaitId, read.Outcome, read.Error));
        Assert.DoesNotContain("secret", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", json, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<Dictionary<string, string?>>> CompletionsAsync(string path, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lines = File.Exists(path) ? await File.ReadAllLinesAsync(path, cancellationToken) : [];
            var complete = lines.Where(line => line.EndsWith('}')).ToList();
            if (complete.Count >= count)
            {
                return [.. complete.Select(line => JsonSerializer.Deserialize<Dictionary<string, string?>>(line)!)];
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static Task<long> CompletionJobsAsync(string database, string waitId, CancellationToken cancellationToken) =>
        JobsAsync(database, waitId, "CompleteAsync", cancellationToken);

    private static async Task<long> JobsAsync(string database, string waitId, string method, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE @method AND arguments::text LIKE @wait", connection);
        command.Parameters.AddWithValue("method", "%" + method + "%");
        command.Parameters.AddWithValue("wait", "%" + waitId + "%");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<long> SingleJobAsync(string database, string waitId, string method, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id FROM hangfire.job WHERE invocationdata::text LIKE @method AND arguments::text LIKE @wait", connection);
        command.Parameters.AddWithValue("method", "%" + method + "%");
        command.Parameters.AddWithValue("wait", "%" + waitId + "%");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed class RefusingJobClient : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => throw new InvalidOperationException("No job should be created.");

        public bool ChangeState(string jobId, IState state, string expectedState) => throw new InvalidOperationException("No job should change.");
    }
}
