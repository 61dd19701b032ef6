using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class ParameterBreakTests
{
    private const string WithProcessingStatus = """
                - name: with_processing_status
                  in: query
                  required: false
                  schema:
                    type: boolean

        """;

    [Fact]
    public void Check_ParameterRemoved_ReportsBreak()
    {
        var current = Fixture.Edit((WithProcessingStatus, ""));

        Assert.Equal(["parameter-removed: GET /v1/data_sources/{data_source_uuid} query with_processing_status"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ParameterMovedFromQueryToHeader_ReportsItRemoved()
    {
        var current = Fixture.Edit((WithProcessingStatus, WithProcessingStatus.Replace("in: query", "in: header", StringComparison.Ordinal)));

        Assert.Equal(["parameter-removed: GET /v1/data_sources/{data_source_uuid} query with_processing_status"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ParameterBecomesRequired_ReportsBreak()
    {
        var current = Fixture.Edit((WithProcessingStatus, WithProcessingStatus.Replace("required: false", "required: true", StringComparison.Ordinal)));

        Assert.Equal(["parameter-became-required: GET /v1/data_sources/{data_source_uuid} query with_processing_status"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_NewRequiredParameter_ReportsBreak()
    {
        var current = Fixture.Edit((WithProcessingStatus, WithProcessingStatus + """
                    - name: X-Account
                      in: header
                      required: true
                      schema:
                        type: string

            """));

        Assert.Equal(["required-parameter-added: GET /v1/data_sources/{data_source_uuid} header X-Account"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ParameterTypeChanged_ReportsBreak()
    {
        var current = Fixture.Edit((WithProcessingStatus, WithProcessingStatus.Replace("type: boolean", "type: integer", StringComparison.Ordinal)));

        Assert.Equal(["parameter-type-changed: GET /v1/data_sources/{data_source_uuid} query with_processing_status"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ParameterFormatAdded_ReportsBreak()
    {
        // A plain string id becoming a uuid refuses the ids that are not UUIDs.
        var current = Fixture.Edit(("""
                    - name: import_uuid
                      in: path
                      required: true
                      schema:
                        type: string
            """, """
                    - name: import_uuid
                      in: path
                      required: true
                      schema:
                        type: string
                        format: uuid
            """));

        Assert.Equal(["parameter-type-changed: GET /v2/subscriptions/imports/{import_uuid} path import_uuid"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestEnumNarrowed_ReportsTheValueNoLongerAccepted()
    {
        var current = Fixture.Edit(("enum: [processing_status, settings]", "enum: [processing_status]"));

        Assert.Equal(["request-enum-narrowed: GET /v1/data_sources/{data_source_uuid} query include \"settings\""], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_EnumAddedToAnOpenParameter_ReportsNarrowed()
    {
        var released = Fixture.Edit(("            enum: [processing_status, settings]\n", ""));

        Assert.Equal(["request-enum-narrowed: GET /v1/data_sources/{data_source_uuid} query include"], Fixture.Breaks(Fixture.Released, released));
    }
}
