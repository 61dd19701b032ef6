using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class ResponseBreakTests
{
    private const string DataSource200 = "GET /v1/data_sources/{data_source_uuid} 200 application/json";

    [Fact]
    public void Check_ResponseMemberRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(
            ("required: [uuid, name, status]", "required: [uuid, status]"),
            ("""
                    name:
                      type: string

            """, ""));

        Assert.Equal([$"response-member-removed: {DataSource200} $.name"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_NestedResponseMemberRemoved_ReportsItInEveryResponseThatCarriesIt()
    {
        // The records moving elsewhere: both operations that answer with an import lose them.
        var current = Fixture.Edit(
            ("required: [status, records]", "required: [status]"),
            ("""
                    records:
                      type: object
                      required: [uploaded, imported]
            """, """
                    counts:
                      type: object
                      required: [uploaded, imported]
            """));

        Assert.Equal(
            [
                "response-member-removed: GET /v2/subscriptions/imports/{import_uuid} 200 application/json $.data.attributes.records",
                "response-member-removed: POST /v2/subscriptions/imports 201 application/json $.data.attributes.records",
            ],
            Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ResponseMemberTypeChanged_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                    uuid:
                      type: string
            """, """
                    uuid:
                      type: integer
            """));

        Assert.Equal([$"response-member-type-changed: {DataSource200} $.uuid"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_MapValueTypeChanged_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                        uploaded:
                          type: object
                          additionalProperties:
                            type: integer
                            format: int64
            """, """
                        uploaded:
                          type: object
                          additionalProperties:
                            type: string
            """));

        Assert.Equal(
            [
                "response-member-type-changed: GET /v2/subscriptions/imports/{import_uuid} 200 application/json $.data.attributes.records.uploaded.*",
                "response-member-type-changed: POST /v2/subscriptions/imports 201 application/json $.data.attributes.records.uploaded.*",
            ],
            Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ResponseMemberFormatDropped_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                    created_at:
                      type: string
                      format: date-time
            """, """
                    created_at:
                      type: string
            """));

        Assert.Equal([$"response-member-type-changed: {DataSource200} $.created_at"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ResponseStatusRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                    '404':
                      description: No data source with this UUID.
            """, """
                    '400':
                      description: No data source with this UUID.
            """));

        Assert.Equal(["response-status-removed: GET /v1/data_sources/{data_source_uuid} 404"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_SuccessMediaTypeRemoved_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                      description: The data source.
                      content:
                        application/json:
            """, """
                      description: The data source.
                      content:
                        application/vnd.api+json:
            """));

        Assert.Equal([$"response-media-type-removed: {DataSource200}"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ResponseMemberBecomesOptional_ReportsBreak()
    {
        var current = Fixture.Edit(("required: [uuid, name, status]", "required: [uuid, status]"));

        Assert.Equal([$"response-member-became-optional: {DataSource200} $.name"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ResponseMemberBecomesNullable_ReportsBreak()
    {
        var current = Fixture.Edit(("""
                    name:
                      type: string
            """, """
                    name:
                      type: string
                      nullable: true
            """));

        Assert.Equal([$"response-member-became-nullable: {DataSource200} $.name"], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ClosedResponseEnumWidened_ReportsBreak()
    {
        var current = Fixture.Edit(("enum: [subscription_import]", "enum: [subscription_import, subscription_export]"));

        Assert.Equal(
            [
                "response-enum-widened: GET /v2/subscriptions/imports/{import_uuid} 200 application/json $.data.type \"subscription_export\"",
                "response-enum-widened: POST /v2/subscriptions/imports 201 application/json $.data.type \"subscription_export\"",
            ],
            Fixture.Breaks(current));
    }

    [Fact]
    public void Check_ExtensibleEnumValueRemoved_ReportsBreak()
    {
        var current = Fixture.Edit((
            "x-extensible-enum: [working, idle, never_imported, importing, import_complete]",
            "x-extensible-enum: [working, never_imported, importing, import_complete]"));

        Assert.Equal([$"extensible-enum-value-removed: {DataSource200} $.status \"idle\""], Fixture.Breaks(current));
    }

    [Fact]
    public void Check_RecursiveSchema_ReportsAMemberRemovedAtTheTopOnce()
    {
        // Each child is a Node: the comparison must stop where the schema refers back to itself.
        const string Released = """
            openapi: 3.0.3
            info: {title: Tree, version: 1.0.0}
            paths:
              /tree:
                get:
                  operationId: GetTree
                  responses:
                    '200':
                      description: The tree.
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Node'
            components:
              schemas:
                Node:
                  type: object
                  properties:
                    name: {type: string}
                    left: {$ref: '#/components/schemas/Node'}
                    right: {$ref: '#/components/schemas/Node'}
            """;
        var current = Fixture.Edit(
            Released,
            ("        name: {type: string}\n", ""),
            ("right: {$ref: '#/components/schemas/Node'}", "right: {description: The right child., allOf: [{$ref: '#/components/schemas/Node'}]}"));

        Assert.Equal(["response-member-removed: GET /tree 200 application/json $.name"], Fixture.Breaks(current, Released));
    }
}
