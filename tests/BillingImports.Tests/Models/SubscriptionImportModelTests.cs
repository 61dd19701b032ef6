using System.Text.Json;
using BillingImports.Tests.Errors;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Models;

/// <summary>Elastic Path import jobs as the service really sends them.</summary>
public sealed class SubscriptionImportModelTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Records = """{"uploaded":{"subscription_plan":10},"imported":{"subscription_plan":4}}""";

    [Theory]
    [InlineData("success", true, true, false)]
    [InlineData("Failed", true, true, false)]
    [InlineData("pending", true, false, true)]
    [InlineData("started", true, false, true)]
    [InlineData("cancelled", false, false, false)]
    public async Task Read_Status_OpenValue(string status, bool known, bool done, bool inProgress)
    {
        var import = await server.ReadImportAsync(Import($$"""{"status":"{{status}}"}"""));

        Assert.Equal(status, import.Status.Value);
        Assert.Equal(known, import.Status.IsKnown);
        Assert.Equal(done, import.Status.IsDone);
        Assert.Equal(inProgress, import.Status.IsInProgress);
        Assert.Equal(4, import.Records.Imported.Plans);
    }

    [Theory]
    [InlineData("""{"external_ref":"abc123"}""")]
    [InlineData("""{"status":null}""")]
    public async Task Read_StatusMissingOrNull_UnknownNotDoneStatusAndCountsKept(string attributes)
    {
        var import = await server.ReadImportAsync(Import(attributes));

        Assert.Equal(string.Empty, import.Attributes.Status.Value);
        Assert.Equal(string.Empty, import.Status.Value);
        Assert.False(import.Status.IsKnown);
        Assert.False(import.Status.IsDone);
        Assert.Equal(4, import.Records.Imported.Plans);
    }

    [Theory]
    [InlineData("3", "3")]
    [InlineData("true", "true")]
    [InlineData("""{"code":"success"}""", "")]
    [InlineData("""["success"]""", "")]
    public async Task Read_StatusOfAnotherType_KeptAsTextOrUnknownAndTheDocumentRead(string sent, string value)
    {
        var import = await server.ReadImportAsync(Import($$"""{"external_ref":"nightly-7","status":{{sent}}}"""));

        Assert.Equal(value, import.Status.Value);
        Assert.False(import.Status.IsKnown);
        Assert.False(import.Status.IsDone);
        Assert.Equal("nightly-7", import.ExternalRef);
        Assert.Equal(10, import.Records.Uploaded.Plans);
        Assert.Equal(4, import.Records.Imported.Plans);
    }

    [Fact]
    public async Task Read_ExternalRef_ReadFromAttributesUpToTheDocumentedLength()
    {
        var longest = new string('r', 2048);

        var given = await server.ReadImportAsync(Import($$"""{"external_ref":"{{longest}}","status":"pending"}"""));
        var absent = await server.ReadImportAsync(Import("""{"status":"pending"}"""));

        Assert.Equal(longest, given.ExternalRef);
        Assert.Equal(longest, given.Attributes.ExternalRef);
        Assert.Null(absent.ExternalRef);
    }

    [Fact]
    public async Task Read_Shortcuts_AreTheDocumentsOwnMembers()
    {
        var import = await server.ReadImportAsync(Import("""{"external_ref":"abc123","status":"started"}"""));

        Assert.Equal(import.Attributes.Status, import.Status);
        Assert.Equal(import.Attributes.ExternalRef, import.ExternalRef);
        Assert.Same(import.Meta.Records, import.Records);
        Assert.Same(import.Meta.Timestamps, import.Timestamps);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 9, 0, 0, 123, TimeSpan.Zero), import.Timestamps.CreatedAt);
    }

    [Theory]
    [InlineData("""{"owner":"store"}""")]
    [InlineData("""{"owner":"store","records":null}""")]
    [InlineData("""{"owner":"store","records":{}}""")]
    public async Task Read_RecordsMissingOrNull_EmptyCounts(string meta)
    {
        var import = await server.ReadImportAsync(Import("""{"status":"started"}""", meta));

        Assert.Equal(ImportStatus.Started, import.Status);
        Assert.NotNull(import.Records);
        Assert.Empty(import.Records.Uploaded);
        Assert.Empty(import.Records.Imported);
        Assert.Null(import.Records.Uploaded.Subscriptions);
        Assert.Equal(0, import.Records.Imported.Total);
    }

    [Theory]
    [InlineData("""{"data":{"id":"i1","type":"subscription_import"}}""")]
    [InlineData("""{"data":{"id":"i1","type":"subscription_import","attributes":null,"meta":null}}""")]
    [InlineData("""{"data":{"id":"i1","type":"subscription_import","attributes":{},"meta":{"timestamps":null,"records":null}}}""")]
    [InlineData("""{"data":{}}""")]
    public async Task Read_AttributesMetaOrIdMissing_EmptyValuesNeverNull(string body)
    {
        var import = await server.ReadImportAsync(body);

        Assert.NotNull(import.Id);
        Assert.NotNull(import.Type);
        Assert.NotNull(import.Attributes);
        Assert.NotNull(import.Meta);
        Assert.NotNull(import.Meta.Owner);
        Assert.NotNull(import.Timestamps);
        Assert.Null(import.Timestamps.StartedAt);
        Assert.Null(import.ExternalRef);
        Assert.False(import.Status.IsKnown);
        Assert.Empty(import.Records.Uploaded);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"errors":[{"status":"404","title":"Not Found"}]}""")]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"data":"i1"}""")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("""{"data":{"id":"i1","attributes":{"status":"success"},"meta":{"records":""")]
    public async Task Read_NoImportInBody_InvalidResponse(string body)
    {
        var id = server.Import(200, body);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => server.Imports.GetImportAsync(id, TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.StartsWith("HTTP 200 OK: the response could not be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ExtraMembersEverywhere_KeptAndDocumentedOnesRead()
    {
        var import = await server.ReadImportAsync("""
            {"data":{"id":"i1","type":"subscription_import","links":{"self":"/v2/subscriptions/imports/i1"},
              "attributes":{"status":"success","errors_url":"/v2/x"},
              "meta":{"owner":"organization","region":"euwest",
                "timestamps":{"created_at":"2024-05-01T09:00:00.123456Z","updated_at":"2024-05-01T09:00:00.123456Z","queued_at":"2024-05-01T09:00:00Z"},
                "records":{"uploaded":{"subscription_offering":3},"imported":{"subscription_offering":3},"skipped":{"subscription_offering":0}}}},
             "jsonapi":{"version":"1.1"}}
            """);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal("organization", import.Meta.Owner);
        Assert.Equal(3, import.Records.Imported.Offerings);
        Assert.True(import.AdditionalProperties.ContainsKey("links"));
        Assert.True(import.Attributes.AdditionalProperties.ContainsKey("errors_url"));
        Assert.True(import.Meta.AdditionalProperties.ContainsKey("region"));
        Assert.True(import.Records.AdditionalProperties.ContainsKey("skipped"));
        Assert.Equal("2024-05-01T09:00:00Z", import.Timestamps.AdditionalProperties["queued_at"].GetString());
    }

    [Fact]
    public async Task Read_MetaMissing_EmptyMetaWithEmptyOwner()
    {
        var import = await server.ReadImportAsync(Import("""{"status":"pending"}""", meta: null));

        Assert.Equal(string.Empty, import.Meta.Owner);
        Assert.Empty(import.Records.Uploaded);
        Assert.Equal(default, import.Timestamps.CreatedAt);
    }

    [Fact]
    public async Task Read_OwnerAsFreeText_Kept()
    {
        var import = await server.ReadImportAsync(Import("""{"status":"pending"}""", meta: """{"owner":"Marketplace Partner"}"""));

        Assert.Equal("Marketplace Partner", import.Meta.Owner);
        Assert.Null(import.Timestamps.FinishedAt);
    }

    [Fact]
    public void Serialize_WritesTheServicesShapeWithoutTheShortcuts()
    {
        var import = JsonSerializer.Deserialize<SubscriptionImportDocument>(Import("""{"external_ref":"abc123","status":"failed"}"""))!.Data;

        using var written = JsonDocument.Parse(JsonSerializer.Serialize(import));

        var root = written.RootElement;
        Assert.Equal("failed", root.GetProperty("attributes").GetProperty("status").GetString());
        Assert.Equal(10, root.GetProperty("meta").GetProperty("records").GetProperty("uploaded").GetProperty("subscription_plan").GetInt64());
        Assert.False(root.TryGetProperty("Status", out _));
        Assert.False(root.TryGetProperty("Records", out _));
        Assert.False(root.GetProperty("attributes").TryGetProperty("records", out _));
    }

    private static string Import(string attributes, string? meta = $$"""{"owner":"store","timestamps":{"created_at":"2024-05-01T09:00:00.123Z","updated_at":"2024-05-01T09:00:00.123Z"},"records":{{Records}}}""") =>
        meta is null
            ? $$$"""{"data":{"id":"i1","type":"subscription_import","attributes":{{{attributes}}}}}"""
            : $$$"""{"data":{"id":"i1","type":"subscription_import","attributes":{{{attributes}}},"meta":{{{meta}}}}}""";
}
