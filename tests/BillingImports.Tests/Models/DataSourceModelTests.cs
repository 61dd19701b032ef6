using System.Text.Json;
using BillingImports.Tests.Errors;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Models;

/// <summary>ChartMogul data sources as the service really sends them.</summary>
public sealed class DataSourceModelTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("idle", true, false, true)]
    [InlineData("IMPORTING", true, true, false)]
    [InlineData("never_imported", true, false, false)]
    [InlineData("paused_by_support", false, false, false)]
    public async Task Read_Status_OpenValueKeptAsSent(string status, bool known, bool processing, bool done)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"{{status}}"}""");

        Assert.Equal(status, source.Status);
        Assert.Equal(status, source.TypedStatus.Value);
        Assert.Equal(known, source.TypedStatus.IsKnown);
        Assert.Equal(processing, source.TypedStatus.IsProcessing);
        Assert.Equal(done, source.TypedStatus.IsDone);
    }

    [Fact]
    public async Task Read_SystemMissing_Null()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"Legacy CSV upload","created_at":"2015-05-05T05:05:05Z","status":"working"}""");

        Assert.Null(source.System);
        Assert.Equal("Legacy CSV upload", source.Name);
    }

    [Fact]
    public async Task Read_ExtraMembers_KeptAndDocumentedOnesRead()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","system":"google sheets","status":"idle","billing_system_id":42,"flags":{"beta":[true]}}""");

        Assert.Equal("google sheets", source.System);
        Assert.Equal(42, ((JsonElement)source.AdditionalProperties["billing_system_id"]).GetInt32());
        Assert.True(source.AdditionalProperties.ContainsKey("flags"));
    }

    [Theory]
    [InlineData("""{"name":"n","status":"idle"}""", "", "n", "idle")]
    [InlineData("""{"uuid":"ds_1","status":"idle"}""", "ds_1", "", "idle")]
    [InlineData("""{"uuid":"ds_1","name":null}""", "ds_1", "", "")]
    [InlineData("""{"uuid":"ds_1","name":"n","status":null}""", "ds_1", "n", "")]
    public async Task Read_RequiredMemberMissingOrNull_EmptyStringAndUnknownStatus(string body, string uuid, string name, string status)
    {
        var source = await server.ReadDataSourceAsync(body);

        Assert.Equal(uuid, source.Uuid);
        Assert.Equal(name, source.Name);
        Assert.Equal(status, source.Status);
        Assert.Equal(status.Length > 0, source.TypedStatus.IsKnown);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"error":"Data source not found"}""")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"idle\"")]
    [InlineData("")]
    [InlineData("<html><title>Maintenance</title></html>")]
    public async Task Read_BodyIsNotADataSource_InvalidResponse(string body)
    {
        var id = server.DataSource(200, body);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => server.DataSources.RetrieveDataSourceAsync(id, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.True(error.IsInvalidResponse());
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Read_StatusOfWrongType_InvalidResponse()
    {
        var id = server.DataSource(200, """{"uuid":"ds_1","name":"n","status":5}""");

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => server.DataSources.RetrieveDataSourceAsync(id, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Contains("$.status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryGetProcessingStatus_Object_ReadsCounts()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"importing","processing_status":{"processed":61,"pending":"12","failed":1.0,"new_count":3}}""");

        Assert.True(source.TryGetProcessingStatus(out var processing));
        Assert.Equal(new DataSourceProcessingStatus(61, 12, 1), processing);
        Assert.Equal(74, processing.Total);
    }

    [Fact]
    public async Task TryGetProcessingStatus_PartialAndBadCounts_NullCounts()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"importing","processing_status":{"processed":"n/a","failed":null}}""");

        Assert.True(source.TryGetProcessingStatus(out var processing));
        Assert.Equal(new DataSourceProcessingStatus(null, null, null), processing);
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","processing_status":null""")]
    [InlineData(""","processing_status":true""")]
    [InlineData(""","processing_status":[61,12,1]""")]
    public async Task TryGetProcessingStatus_AbsentNullOrWrongShape_False(string member)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"importing"{{member}}}""");

        Assert.False(source.TryGetProcessingStatus(out var processing));
        Assert.Null(processing);
    }

    [Fact]
    public async Task TryGetAutoChurn_CurrentObjectShape_ReadsEnabledAndInterval()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{"enabled":true,"interval":7,"mode":"new"}}""");

        Assert.True(source.TryGetAutoChurnSubscriptionSetting(out var setting));
        Assert.Equal(new AutoChurnSubscriptionSetting(true, 7), setting);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    public async Task TryGetAutoChurn_OlderBooleanShape_ReadsEnabled(string sent, bool enabled)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{{sent}}}""");

        Assert.True(source.TryGetAutoChurnSubscriptionSetting(out var setting));
        Assert.Equal(new AutoChurnSubscriptionSetting(enabled, null), setting);
    }

    [Fact]
    public async Task TryGetAutoChurn_ObjectWithWrongMemberTypes_NullMembers()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{"enabled":"sometimes","interval":"weekly"}}""");

        Assert.True(source.TryGetAutoChurnSubscriptionSetting(out var setting));
        Assert.Equal(new AutoChurnSubscriptionSetting(null, null), setting);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("7")]
    [InlineData("\"on\"")]
    [InlineData("[true]")]
    public async Task TryGetAutoChurn_WrongShape_FalseNotException(string sent)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{{sent}}}""");

        Assert.False(source.TryGetAutoChurnSubscriptionSetting(out var setting));
        Assert.Null(setting);
    }

    [Fact]
    public async Task TryGetInvoiceHandling_Object_ReadsBothSides()
    {
        var source = await server.ReadDataSourceAsync("""
            {"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{
              "manual":{"create_subscription_when_invoice_is":"open","update_subscription_when_invoice_is":"open","prevent_subscription_for_invoice_voided":true,"prevent_subscription_for_invoice_refunded":false,"prevent_subscription_for_invoice_written_off":true},
              "automatic":{"create_subscription_when_invoice_is":"paid","prevent_subscription_for_invoice_voided":"yes"}}}
            """);

        Assert.True(source.TryGetInvoiceHandlingSetting(out var setting));
        Assert.Equal(new InvoiceHandlingRules("open", "open", true, false, true), setting.Manual);
        Assert.Equal(new InvoiceHandlingRules("paid", null, null, null, null), setting.Automatic);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("\"manual\"")]
    public async Task TryGetInvoiceHandling_WrongShape_False(string sent)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{{sent}}}""");

        Assert.False(source.TryGetInvoiceHandlingSetting(out _));
    }

    [Fact]
    public async Task TryGetInvoiceHandling_SideNotAnObject_SideNull()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{"manual":true}}""");

        Assert.True(source.TryGetInvoiceHandlingSetting(out var setting));
        Assert.Null(setting.Manual);
        Assert.Null(setting.Automatic);
    }
}
