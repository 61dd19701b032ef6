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
    public async Task Read_Status_OpenValueKeptAsSent(string status, bool known, bool inProgress, bool done)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"{{status}}"}""");

        Assert.Equal(status, source.Status.Value);
        Assert.Equal(known, source.Status.IsKnown);
        Assert.Equal(inProgress, source.Status.IsInProgress);
        Assert.Equal(done, source.Status.IsDone);
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
        Assert.Equal(status, source.Status.Value);
        Assert.Equal(status.Length > 0, source.Status.IsKnown);
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

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => server.DataSources.GetDataSourceAsync(id, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.True(error.IsInvalidResponse());
        Assert.False(error.IsTransient);
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("true", "true")]
    [InlineData("""{"code":"idle"}""", "")]
    [InlineData("""["idle"]""", "")]
    public async Task Read_StatusOfAnotherType_KeptAsTextOrUnknownAndTheRestRead(string sent, string value)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":{{sent}},"system":"Custom"}""");

        Assert.Equal(value, source.Status.Value);
        Assert.False(source.Status.IsKnown);
        Assert.Equal("ds_1", source.Uuid);
        Assert.Equal("Custom", source.System);
    }

    [Fact]
    public async Task ProcessingStatus_Object_ReadsCounts()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"importing","processing_status":{"processed":61,"pending":"12","failed":1.0,"new_count":3}}""");

        var processing = Assert.IsType<DataSourceProcessingStatus>(source.ProcessingStatus);
        Assert.Equal(new DataSourceProcessingStatus(61, 12, 1), processing);
        Assert.Equal(74, processing.Total);
    }

    [Fact]
    public async Task ProcessingStatus_PartialAndBadCounts_NullCounts()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"importing","processing_status":{"processed":"n/a","failed":null}}""");

        Assert.Equal(new DataSourceProcessingStatus(null, null, null), source.ProcessingStatus);
        Assert.Equal(0, source.ProcessingStatus!.Total);
    }

    [Theory]
    [InlineData("")]
    [InlineData(""","processing_status":null""")]
    [InlineData(""","processing_status":true""")]
    [InlineData(""","processing_status":[61,12,1]""")]
    public async Task ProcessingStatus_AbsentNullOrWrongShape_NullAndTheRestRead(string member)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"importing"{{member}}}""");

        Assert.Null(source.ProcessingStatus);
        Assert.Equal(DataSourceStatus.Importing, source.Status);
    }

    [Fact]
    public async Task AutoChurn_CurrentObjectShape_ReadsEnabledAndInterval()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{"enabled":true,"interval":7,"mode":"new"}}""");

        Assert.Equal(new AutoChurnSubscriptionSetting(true, 7), source.AutoChurnSubscriptionSetting);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"true\"", true)]
    public async Task AutoChurn_OlderBooleanShape_ReadsEnabled(string sent, bool enabled)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{{sent}}}""");

        Assert.Equal(new AutoChurnSubscriptionSetting(enabled, null), source.AutoChurnSubscriptionSetting);
    }

    [Fact]
    public async Task AutoChurn_ObjectWithWrongMemberTypes_NullMembers()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{"enabled":"sometimes","interval":"weekly"}}""");

        Assert.Equal(new AutoChurnSubscriptionSetting(null, null), source.AutoChurnSubscriptionSetting);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("7")]
    [InlineData("\"on\"")]
    [InlineData("[true]")]
    public async Task AutoChurn_WrongShape_NullNotException(string sent)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","auto_churn_subscription_setting":{{sent}}}""");

        Assert.Null(source.AutoChurnSubscriptionSetting);
        Assert.Equal(DataSourceStatus.Idle, source.Status);
    }

    [Fact]
    public async Task InvoiceHandling_Object_ReadsBothSides()
    {
        var source = await server.ReadDataSourceAsync("""
            {"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{
              "manual":{"create_subscription_when_invoice_is":"open","update_subscription_when_invoice_is":"open","prevent_subscription_for_invoice_voided":true,"prevent_subscription_for_invoice_refunded":false,"prevent_subscription_for_invoice_written_off":true},
              "automatic":{"create_subscription_when_invoice_is":"paid","prevent_subscription_for_invoice_voided":"yes"}}}
            """);

        var setting = Assert.IsType<InvoiceHandlingSetting>(source.InvoiceHandlingSetting);
        Assert.Equal(new InvoiceHandlingRules("open", "open", true, false, true), setting.Manual);
        Assert.Equal(new InvoiceHandlingRules("paid", null, null, null, null), setting.Automatic);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("\"manual\"")]
    public async Task InvoiceHandling_WrongShape_NullNotException(string sent)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{{sent}}}""");

        Assert.Null(source.InvoiceHandlingSetting);
        Assert.Equal("ds_1", source.Uuid);
    }

    [Fact]
    public async Task InvoiceHandling_SideNotAnObject_SideNull()
    {
        var source = await server.ReadDataSourceAsync("""{"uuid":"ds_1","name":"n","status":"idle","invoice_handling_setting":{"manual":true}}""");

        var setting = Assert.IsType<InvoiceHandlingSetting>(source.InvoiceHandlingSetting);
        Assert.Null(setting.Manual);
        Assert.Null(setting.Automatic);
    }
}
