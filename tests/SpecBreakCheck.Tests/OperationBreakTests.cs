using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class OperationBreakTests
{
    [Fact]
    public void Check_PathRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(("  /v2/subscriptions/imports/{import_uuid}:\n", "  /v2/subscriptions/imports/{import_uuid}/unused:\n"));

        Assert.Equal(["path-removed: /v2/subscriptions/imports/{import_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_PathRenamed_ReportsTheReleasedPathRemoved()
    {
        var current = Fixture.Edit(("  /v1/data_sources/{data_source_uuid}:\n", "  /v1/sources/{data_source_uuid}:\n"));

        Assert.Equal(["path-removed: /v1/data_sources/{data_source_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationMethodChanged_ReportsOperationRemoved()
    {
        var current = Fixture.Edit(("""
                get:
                  tags: [DataSources]
            """, """
                post:
                  tags: [DataSources]
            """));

        Assert.Equal(["operation-removed: GET /v1/data_sources/{data_source_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationIdRenamed_ReportsBreak()
    {
        var current = Fixture.Edit(("operationId: RetrieveDataSource", "operationId: GetDataSource"));

        Assert.Equal(["operation-id-changed: GET /v1/data_sources/{data_source_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationIdRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(("      operationId: GetImport\n", ""));

        Assert.Equal(["operation-id-changed: GET /v2/subscriptions/imports/{import_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_PathParameterRenamedInTemplateAndParameter_ReportsNothing()
    {
        // Path parameter names are not on the wire: the URL a client builds is the same.
        var current = Fixture.Edit(
            ("  /v1/data_sources/{data_source_uuid}:\n", "  /v1/data_sources/{uuid}:\n"),
            ("        - name: data_source_uuid\n", "        - name: uuid\n"));

        Assert.Empty(Fixture.Breaks(current));
    }
}
