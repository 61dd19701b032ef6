using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class SecurityAndServerBreakTests
{
    [Fact]
    public void Check_SecuritySchemeTypeChanged_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                chartmogulBasic:
                  type: http
                  scheme: basic
            """, """
                chartmogulBasic:
                  type: apiKey
                  in: header
                  name: X-Api-Key
            """));

        Assert.Equal(["security-scheme-changed: chartmogulBasic"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_TokenUrlChanged_ReportsBreak()
    {
        var current = Fixture.Edit((
            "tokenUrl: https://useast.api.elasticpath.com/oauth/access_token",
            "tokenUrl: https://useast.api.elasticpath.com/oauth2/token"));

        Assert.Equal(["security-scheme-changed: elasticPathClientCredentials"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationAsksForAnotherScheme_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                  security:
                    - chartmogulBasic: []
            """, """
                  security:
                    - elasticPathClientCredentials: []
            """));

        Assert.Equal(["security-requirement-changed: GET /v1/data_sources/{data_source_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationNowNeedsTwoSchemes_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                  security:
                    - chartmogulBasic: []
            """, """
                  security:
                    - chartmogulBasic: []
                      elasticPathClientCredentials: []
            """));

        Assert.Equal(["security-requirement-changed: GET /v1/data_sources/{data_source_uuid}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ServerVariableValueRemoved_ReportsBreak()
    {
        var released = Fixture.Released;
        var current = released.Replace("enum: [useast, euwest]", "enum: [useast]", StringComparison.Ordinal);

        Assert.Equal(
            [
                "server-variable-value-removed: GET /v2/subscriptions/imports/{import_uuid} https://{region}.api.elasticpath.com region=euwest",
                "server-variable-value-removed: POST /v2/subscriptions/imports https://{region}.api.elasticpath.com region=euwest",
            ],
            Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ServerHostChanged_ReportsBreak()
    {
        var current = Fixture.Edit(("- url: https://api.chartmogul.com", "- url: https://api.chartmogul.io"));

        Assert.Equal(["server-removed: GET /v1/data_sources/{data_source_uuid} https://api.chartmogul.com"], Fixture.Breaks(current));
    }
}
