using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class RequestBodyBreakTests
{
    [Fact]
    public void Check_RequestBodyMemberEnumNarrowed_ReportsBreak()
    {
        var current = Fixture.Edit(("enum: [append, replace]", "enum: [append]"));

        Assert.Equal(["request-enum-narrowed: POST /v2/subscriptions/imports request application/json $.mode \"replace\""], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestBodyMemberBecomesRequired_ReportsBreak()
    {
        var current = Fixture.Edit(("required: [file_name]", "required: [file_name, external_ref]"));

        Assert.Equal(["request-member-became-required: POST /v2/subscriptions/imports request application/json $.external_ref"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestBodyMemberTypeChanged_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                    file_name:
                      type: string
            """, """
                    file_name:
                      type: array
                      items:
                        type: string
            """));

        Assert.Equal(["request-member-type-changed: POST /v2/subscriptions/imports request application/json $.file_name"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestMediaTypeRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                  requestBody:
                    required: true
                    content:
                      application/json:
            """, """
                  requestBody:
                    required: true
                    content:
                      application/vnd.api+json:
            """));

        Assert.Equal(["request-media-type-removed: POST /v2/subscriptions/imports request application/json"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestBodyBecomesRequired_ReportsBreak()
    {
        var released = Fixture.Edit(("""
                  requestBody:
                    required: true
            """, """
                  requestBody:
                    required: false
            """));

        Assert.Equal(["request-body-became-required: POST /v2/subscriptions/imports"], Fixture.Breaks(Fixture.Released, released));
    }
}
