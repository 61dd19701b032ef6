using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

/// <summary>The check as CI runs it: files in, report and exit code out.</summary>
public sealed class BreakCheckRunTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spec-break-check-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Run_NoBreak_ExitsZero()
    {
        var (exitCode, report) = Run(Fixture.Released, "acknowledged: []\n");

        Assert.Equal(BreakCheck.Passed, exitCode);
        Assert.Contains("0 breaking change(s)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnacknowledgedBreak_ExitsOneAndNamesIt()
    {
        var current = Fixture.Edit(("operationId: RetrieveDataSource", "operationId: GetDataSource"));

        var (exitCode, report) = Run(current, "acknowledged: []\n");

        Assert.Equal(BreakCheck.Failed, exitCode);
        Assert.Contains("BREAK operation-id-changed: GET /v1/data_sources/{data_source_uuid}", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AcknowledgedBreak_ExitsZeroAndShowsTheReason()
    {
        var current = Fixture.Edit(("operationId: RetrieveDataSource", "operationId: GetDataSource"));

        var (exitCode, report) = Run(current, """
            acknowledged:
              - change: "operation-id-changed: GET /v1/data_sources/{data_source_uuid}"
                reason: Matches the vendor's name; clients regenerate.
            """);

        Assert.Equal(BreakCheck.Passed, exitCode);
        Assert.Contains("Matches the vendor's name; clients regenerate.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_StaleAcknowledgement_ExitsOne()
    {
        var (exitCode, report) = Run(Fixture.Released, """
            acknowledged:
              - change: "operation-id-changed: GET /v1/data_sources/{data_source_uuid}"
                reason: Matches the vendor's name.
            """);

        Assert.Equal(BreakCheck.Failed, exitCode);
        Assert.Contains("STALE", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_SpecThatIsNotOpenApi_ExitsTwo()
    {
        var (exitCode, report) = Run("openapi: [unterminated\n", "acknowledged: []\n");

        Assert.Equal(BreakCheck.Unreadable, exitCode);
        Assert.StartsWith("error:", report, StringComparison.Ordinal);
    }

    private (int ExitCode, string Report) Run(string current, string acknowledged)
    {
        var baselinePath = Path.Combine(_directory, "released.yaml");
        var specPath = Path.Combine(_directory, "current.yaml");
        var acknowledgedPath = Path.Combine(_directory, "acknowledged.yaml");
        File.WriteAllText(baselinePath, Fixture.Released);
        File.WriteAllText(specPath, current);
        File.WriteAllText(acknowledgedPath, acknowledged);
        using var output = new StringWriter();
        var exitCode = BreakCheck.Run(baselinePath, specPath, acknowledgedPath, output);
        return (exitCode, output.ToString());
    }
}
