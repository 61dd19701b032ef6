using BillingImports.Cli;
using Spectre.Console;
using Spectre.Console.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Cli;

/// <summary>
/// The sample CLI end to end, against its embedded fake server (no credentials in the environment).
/// One class, so the tests share the process-wide console one at a time.
/// </summary>
public sealed class CliTests : IDisposable
{
    private readonly IAnsiConsole _previous = AnsiConsole.Console;
    private readonly TestConsole _console = new();

    public CliTests()
    {
        _console.Profile.Width = 160;
        AnsiConsole.Console = _console;
    }

    public void Dispose()
    {
        AnsiConsole.Console = _previous;
        _console.Dispose();
    }

    [Fact]
    public async Task NoCommand_RunsTheDemoAgainstTheEmbeddedFakeServer()
    {
        var exit = await Program.Main([]);

        Assert.Equal(0, exit);
        var output = _console.Output;
        Assert.Contains("using the embedded fake server", output, StringComparison.Ordinal);
        Assert.Contains("Done: In-house billing is idle.", output, StringComparison.Ordinal);
        Assert.Contains("finished with status success", output, StringComparison.Ordinal);
        Assert.Contains("Failed: import 99999999-8888-7777-6666-555555555555 imported 38 of 53 records.", output, StringComparison.Ordinal);
        Assert.Contains("line 17, field plan_id: not found", output, StringComparison.Ordinal);
        Assert.Contains("Error: HTTP 404 Not Found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportWait_ReportsGrowingCountsUntilSuccess()
    {
        var exit = await Program.Main(["import", "wait", CliEnvironment.DemoImportId]);

        Assert.Equal(0, exit);
        Assert.Contains("131 records", _console.Output, StringComparison.Ordinal);
        Assert.Contains("external_ref nightly-2024-05-01", _console.Output, StringComparison.Ordinal);

        // The final table: each record type with its uploaded and imported counts from meta.records.
        Assert.Equal(["120", "120"], Row("subscription"));
        Assert.Equal(["3", "3"], Row("subscription_offering"));
        Assert.Equal(["8", "8"], Row("subscription_feature"));
    }

    [Fact]
    public async Task ImportWait_FailingImport_ExitsWithOne()
    {
        var exit = await Program.Main(["import", "wait", CliEnvironment.DemoFailingImportId]);

        Assert.Equal(ExitCodes.ImportFailed, exit);
        Assert.Contains("Failed: import 99999999-8888-7777-6666-555555555555 imported 38 of 53 records.", _console.Output, StringComparison.Ordinal);
        Assert.Equal(["50", "37"], Row("subscription_subscriber"));
        Assert.Contains("First 3 failing lines:", _console.Output, StringComparison.Ordinal);
        Assert.Contains(_console.Lines, line => line.Trim() == "line 17, field plan_id: not found (sub-0017)");
    }

    [Fact]
    public async Task ImportErrors_ListsEveryFailingLine()
    {
        var exit = await Program.Main(["import", "errors", CliEnvironment.DemoFailingImportId]);

        Assert.Equal(0, exit);
        var lines = _console.Lines.Select(line => line.Trim()).Where(line => line.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["line 17, field plan_id: not found (sub-0017)", "line 42, field email: is not a valid email address (sub-0042)", "line 43: duplicate line (sub-0042)"],
            lines);
        Assert.Contains("3 failing lines.", _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportErrors_ImportWithoutFailures_SaysSo()
    {
        var exit = await Program.Main(["import", "errors", CliEnvironment.DemoImportId]);

        Assert.Equal(0, exit);
        Assert.Contains("No failing lines.", _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportErrors_UnknownImport_IsAnApiErrorWithExitTwo()
    {
        var exit = await Program.Main(["import", "errors", "12345678-9abc-4def-8123-456789abcdef"]);

        Assert.Equal(ExitCodes.ApiError, exit);
        Assert.Contains(_console.Lines, line => line.StartsWith("Error: HTTP 404 Not Found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SourceGet_MalformedUuid_PrintsOneReadableLineAndExitsWithTwo()
    {
        var exit = await Program.Main(["source", "get", "not-a-uuid"]);

        Assert.Equal(ExitCodes.ApiError, exit);
        var error = Assert.Single(_console.Lines, line => line.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains("422", error, StringComparison.Ordinal);
        Assert.Contains("Invalid UUID passed", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceGet_KnownSource_PrintsItsFields()
    {
        var exit = await Program.Main(["source", "get", CliEnvironment.DemoDataSourceUuid]);

        Assert.Equal(0, exit);
        Assert.Contains("In-house billing", _console.Output, StringComparison.Ordinal);
        Assert.Contains("Import API", _console.Output, StringComparison.Ordinal);
    }

    /// <summary>The count cells of a record type's row in the last import table printed.</summary>
    private string[] Row(string recordType) =>
        _console.Lines
            .Select(line => line.Split('│', StringSplitOptions.TrimEntries))
            .Last(cells => cells.Length > 3 && cells[1] == recordType)[2..4];

    [Fact]
    public async Task HalfTheElasticPathCredentials_IsAUsageErrorNamingTheMissingOne()
    {
        Environment.SetEnvironmentVariable("ELASTICPATH_CLIENT_ID", "only-the-id");
        try
        {
            var exit = await Program.Main(["import", "get", CliEnvironment.DemoImportId]);

            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Contains("ELASTICPATH_CLIENT_SECRET", _console.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ELASTICPATH_CLIENT_ID", null);
        }
    }

    [Theory]
    [InlineData("not a url", "CHARTMOGUL_BASE_URL must be an absolute URL")]
    [InlineData("ftp://billing.example/", "BaseAddress must use https")]
    [InlineData("https://user:password@billing.example/", "BaseAddress must not carry credentials")]
    public async Task BadBaseAddress_PrintsOneLineWithoutTheAddressesSecretsAndExitsWithTwo(string address, string expected)
    {
        Environment.SetEnvironmentVariable("CHARTMOGUL_API_KEY", "cli-test-key");
        Environment.SetEnvironmentVariable("CHARTMOGUL_BASE_URL", address);
        try
        {
            var exit = await Program.Main(["source", "get", CliEnvironment.DemoDataSourceUuid]);

            Assert.Equal(ExitCodes.Usage, exit);
            Assert.Equal(2, ExitCodes.Usage);
            var error = Assert.Single(_console.Lines, line => line.StartsWith("Error:", StringComparison.Ordinal));
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.DoesNotContain("password", _console.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", _console.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CHARTMOGUL_API_KEY", null);
            Environment.SetEnvironmentVariable("CHARTMOGUL_BASE_URL", null);
        }
    }

    [Theory]
    [InlineData("import", "wait", CliEnvironment.DemoImportId, "--timeout", "soon")]
    [InlineData("import", "wait", CliEnvironment.DemoImportId, "--timeout", "0s")]
    [InlineData("source", "wait", CliEnvironment.DemoDataSourceUuid, "--timeout", "5")]
    [InlineData("import", "get")]
    [InlineData("imports", "get", CliEnvironment.DemoImportId)]
    [InlineData("source", "get", CliEnvironment.DemoDataSourceUuid, "--verbose")]
    public async Task InvalidCommandLine_PrintsOneErrorLinePerProblemAndExitsWithTwo(params string[] args)
    {
        var exit = await Program.Main(args);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(_console.Lines, line => line.StartsWith("Error:", StringComparison.Ordinal));
        Assert.DoesNotContain("No credentials in the environment", _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportWait_InvalidTimeout_NamesTheAcceptedForms()
    {
        await Program.Main(["import", "wait", CliEnvironment.DemoImportId, "--timeout", "soon"]);

        Assert.Contains(_console.Lines, line => line.StartsWith("Error: --timeout must be a positive duration such as 90s, 10m, 2h or 01:30:00, not 'soon'.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ImportWait_TimeoutShorterThanTheImport_TimesOutWithThree()
    {
        // The demo import takes eight polls 250 ms apart.
        var exit = await Program.Main(["import", "wait", CliEnvironment.DemoImportId, "--timeout", "0.3s"]);

        Assert.Equal(ExitCodes.Timeout, exit);
        Assert.Contains(_console.Lines, line => line.StartsWith("Timed out:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NetworkFailure_OfTheTokenExchange_SaysItWasTheTokenRequest()
    {
        var exit = await Program.GuardAsync(async () =>
        {
            using var client = new ElasticPathClient(Unreachable(new ElasticPathClientOptions { ClientId = "id", ClientSecret = "cli-test-secret" }));
            await client.SubscriptionImports.GetImportAsync(CliEnvironment.DemoImportId, TestContext.Token);
            return 0;
        });

        Assert.Equal(ExitCodes.ApiError, exit);
        var error = Assert.Single(_console.Lines, line => line.StartsWith("Error:", StringComparison.Ordinal));
        Assert.StartsWith("Error: The token request failed: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-test-secret", _console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NetworkFailure_OfADataSourceCall_SaysItWasTheDataSourceRequest()
    {
        var exit = await Program.GuardAsync(async () =>
        {
            using var client = new ChartMogulClient(Unreachable(new ChartMogulClientOptions { ApiKey = "cli-test-key" }));
            await client.DataSources.GetDataSourceAsync(CliEnvironment.DemoDataSourceUuid, cancellationToken: TestContext.Token);
            return 0;
        });

        Assert.Equal(ExitCodes.ApiError, exit);
        Assert.Contains(_console.Lines, line => line.StartsWith("Error: The data source request failed: ", StringComparison.Ordinal));
    }

    /// <summary>Options for a loopback port nothing listens on (1, reserved), with no retries, so the failure is immediate.</summary>
    private static T Unreachable<T>(T options)
        where T : BillingImportsClientOptions
    {
        options.BaseAddress = new Uri("http://127.0.0.1:1/");
        options.Retry = new RetryOptions { MaxRetries = 0 };
        return options;
    }
}
