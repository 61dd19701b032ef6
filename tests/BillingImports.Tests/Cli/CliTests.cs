using BillingImports.Cli;
using Spectre.Console;
using Spectre.Console.Testing;

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
        Assert.Contains("Failed: Import 99999999-8888-7777-6666-555555555555 failed after importing", output, StringComparison.Ordinal);
        Assert.Contains("Error: HTTP 404 Not Found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportWait_ReportsGrowingCountsUntilSuccess()
    {
        var exit = await Program.Main(["import", "wait", CliEnvironment.DemoImportId]);

        Assert.Equal(0, exit);
        Assert.Contains("records", _console.Output, StringComparison.Ordinal);
        Assert.Contains("subscriptions", _console.Output, StringComparison.Ordinal);
        Assert.Contains(_console.Lines, line => line.Contains("subscriptions", StringComparison.Ordinal) && line.Split('│', StringSplitOptions.TrimEntries).Count(cell => cell == "120") == 2);
    }

    [Fact]
    public async Task ImportWait_FailingImport_ExitsWithOne()
    {
        var exit = await Program.Main(["import", "wait", CliEnvironment.DemoFailingImportId]);

        Assert.Equal(ExitCodes.ImportFailed, exit);
        Assert.Contains("Failed:", _console.Output, StringComparison.Ordinal);
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
}
