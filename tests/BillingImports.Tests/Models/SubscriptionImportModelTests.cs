using System.Text.Json;
using BillingImports.Tests.Errors;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Models;

/// <summary>Elastic Path import jobs as the service really sends them.</summary>
public sealed class SubscriptionImportModelTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Records = """{"uploaded":{"subscriptions":10},"imported":{"subscriptions":4}}""";

    [Theory]
    [InlineData("success", true, true)]
    [InlineData("Failed", true, true)]
    [InlineData("pending", true, false)]
    [InlineData("cancelled", false, false)]
    public async Task Read_Status_OpenValue(string status, bool known, bool terminal)
    {
        var import = await server.ReadImportAsync(Import($$"""{"status":"{{status}}","records":{{Records}}}"""));

        Assert.Equal(status, import.Status.Value);
        Assert.Equal(known, import.Status.IsKnown);
        Assert.Equal(terminal, import.Status.IsTerminal);
    }

    [Theory]
    [InlineData($$"""{"records":{{Records}}}""")]
    [InlineData($$"""{"status":null,"records":{{Records}}}""")]
    public async Task Read_StatusMissingOrNull_UnknownNonTerminalStatusAndCountsKept(string attributes)
    {
        var import = await server.ReadImportAsync(Import(attributes));

        Assert.Equal(string.Empty, import.Attributes.Status);
        Assert.Equal(string.Empty, import.Status.Value);
        Assert.False(import.Status.IsKnown);
        Assert.False(import.Status.IsTerminal);
        Assert.Equal(4, import.Attributes.Records.ImportedCounts.Subscriptions);
    }

    [Theory]
    [InlineData("""{"status":"started"}""")]
    [InlineData("""{"status":"started","records":null}""")]
    public async Task Read_RecordsMissingOrNull_EmptyCounts(string attributes)
    {
        var import = await server.ReadImportAsync(Import(attributes));

        Assert.Equal(ImportStatus.Started, import.Status);
        Assert.NotNull(import.Attributes.Records);
        Assert.Empty(import.Attributes.Records.Uploaded);
        Assert.Empty(import.Attributes.Records.Imported);
        Assert.Null(import.Attributes.Records.UploadedCounts.Subscriptions);
    }

    [Theory]
    [InlineData("""{"data":{"id":"i1","type":"subscription_import"}}""")]
    [InlineData("""{"data":{"id":"i1","type":"subscription_import","attributes":null}}""")]
    [InlineData("""{"data":{}}""")]
    public async Task Read_AttributesOrIdMissing_EmptyValuesNeverNull(string body)
    {
        var import = await server.ReadImportAsync(body);

        Assert.NotNull(import.Id);
        Assert.NotNull(import.Type);
        Assert.Equal(string.Empty, import.Attributes.Status);
        Assert.Empty(import.Attributes.Records.Uploaded);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"errors":[{"status":"404","title":"Not Found"}]}""")]
    [InlineData("""{"data":[]}""")]
    [InlineData("""{"data":"i1"}""")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("""{"data":{"id":"i1","attributes":{"status":"success","records":""")]
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
              "attributes":{"status":"success","records":{"uploaded":{"offerings":3},"imported":{"offerings":3},"skipped":{"offerings":0}},"errors_url":"/v2/x"},
              "meta":{"owner":"organization","timestamps":{"created_at":"2024-05-01T09:00:00.123456Z","queued_at":"2024-05-01T09:00:00Z"},"region":"euwest"}},
             "jsonapi":{"version":"1.1"}}
            """);

        Assert.Equal(ImportStatus.Success, import.Status);
        Assert.Equal("organization", import.Meta!.Owner);
        Assert.True(import.AdditionalProperties.ContainsKey("links"));
        Assert.True(import.Attributes.AdditionalProperties.ContainsKey("errors_url"));
        Assert.True(import.Attributes.Records.AdditionalProperties.ContainsKey("skipped"));
        Assert.Equal("2024-05-01T09:00:00Z", ((JsonElement)import.Meta.Timestamps!.AdditionalProperties["queued_at"]).GetString());
    }

    [Fact]
    public async Task Read_MetaMissing_Null()
    {
        var import = await server.ReadImportAsync(Import($$"""{"status":"pending","records":{{Records}}}""", meta: null));

        Assert.Null(import.Meta);
    }

    [Fact]
    public async Task Read_OwnerAsFreeText_Kept()
    {
        var import = await server.ReadImportAsync(Import($$"""{"status":"pending","records":{{Records}}}""", meta: """{"owner":"Marketplace Partner"}"""));

        Assert.Equal("Marketplace Partner", import.Meta!.Owner);
        Assert.Null(import.Meta.Timestamps);
    }

    private static string Import(string attributes, string? meta = """{"owner":"store"}""") =>
        meta is null
            ? $$$"""{"data":{"id":"i1","type":"subscription_import","attributes":{{{attributes}}}}}"""
            : $$$"""{"data":{"id":"i1","type":"subscription_import","attributes":{{{attributes}}},"meta":{{{meta}}}}}""";
}
