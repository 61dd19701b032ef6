using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class NonBreakingChangeTests
{
    [Fact]
    public void Check_SameDocument_ReportsNothing()
    {
        Assert.Empty(Fixture.Breaks(Fixture.Released));
    }

    [Fact]
    public void Check_TheRealSpecAgainstItself_ReportsNothing()
    {
        var spec = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "openapi", "billing-imports.yaml"));

        Assert.Empty(Fixture.Breaks(spec, spec));
    }

    [Fact]
    public void Check_OptionalParameterAdded_ReportsNothing()
    {
        var current = Fixture.Edit(("""
                    - name: with_processing_status
            """, """
                    - name: with_invoice_handling_setting
                      in: query
                      required: false
                      schema:
                        type: boolean
                    - name: with_processing_status
            """));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OptionalResponseMemberAdded_ReportsNothing()
    {
        var current = Fixture.Edit(("""
                    system:
                      type: string
                      nullable: true
            """, """
                    system:
                      type: string
                      nullable: true
                    external_ref:
                      type: string
                      maxLength: 2048
            """));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_OperationAdded_ReportsNothing()
    {
        var current = Fixture.Edit(("""
              /v2/subscriptions/imports/{import_uuid}:
            """, """
              /v2/subscriptions/imports/{import_uuid}/errors:
                get:
                  operationId: ListImportErrors
                  security:
                    - elasticPathClientCredentials: []
                  parameters:
                    - name: import_uuid
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: The import's errors.
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/JsonApiErrorDocument'
              /v2/subscriptions/imports/{import_uuid}:
            """));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RequestEnumWidened_ReportsNothing()
    {
        var current = Fixture.Edit(
            ("enum: [processing_status, settings]", "enum: [processing_status, settings, auto_churn]"),
            ("enum: [append, replace]", "enum: [append, replace, upsert]"));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ServerVariableValueAdded_ReportsNothing()
    {
        var current = Fixture.Released.Replace("enum: [useast, euwest]", "enum: [useast, euwest, apsouth]", StringComparison.Ordinal);

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ExtensibleEnumValueAdded_ReportsNothing()
    {
        var current = Fixture.Edit(("x-extensible-enum: [pending, started, success, failed]", "x-extensible-enum: [pending, started, success, failed, cancelled]"));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ParameterAcceptsMoreTypes_ReportsNothing()
    {
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
                        oneOf:
                          - type: string
                          - type: integer
            """));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ErrorResponseLosesAMediaType_ReportsNothing()
    {
        // Only success bodies are parsed into models; the SDK reads any error body it gets.
        var current = Fixture.Edit(("""
                        text/html:
                          schema:
                            type: string

            """, ""));

        Assert.Empty(Fixture.Breaks(current));
    }

    [Fact]
    public void Check_UntypedMembersGetRealSchemasTheWayNSwagKeepsAsJsonElement_ReportsNothing()
    {
        // The lint fixes: untyped members get a real schema wrapped in not-not, which narrows what a
        // response may carry; a $ref keeps its description through allOf; the root gets servers.
        var current = Fixture.Edit(
            ("""
                    processing_status:
                      description: Kept as raw JSON.
                      nullable: true
            """, """
                    processing_status:
                      description: Kept as raw JSON.
                      not:
                        not:
                          type: object
                          nullable: true
                          properties:
                            processed: {type: integer, format: int64}
                            pending: {type: integer, format: int64}
                            failed: {type: integer, format: int64}
            """),
            ("""
                    status:
                      description: The HTTP status as an integer or a string.
                      nullable: true
            """, """
                    status:
                      description: The HTTP status as an integer or a string.
                      not:
                        not:
                          oneOf:
                            - type: integer
                              nullable: true
                            - type: string
            """),
            ("""
                    data:
                      $ref: '#/components/schemas/SubscriptionImport'
            """, """
                    data:
                      description: The import job.
                      allOf:
                        - $ref: '#/components/schemas/SubscriptionImport'
            """),
            ("paths:\n", "servers:\n  - url: https://api.chartmogul.com\n  - url: https://{region}.api.elasticpath.com\n    variables:\n      region:\n        default: useast\n        enum: [useast, euwest]\npaths:\n"));

        Assert.Empty(Fixture.Breaks(current));
    }
}
