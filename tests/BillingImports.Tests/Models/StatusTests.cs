using BillingImports.Tests.Errors;

namespace BillingImports.Tests.Models;

/// <summary>The open-value statuses of both resources: what a wait and a reader can ask of any value.</summary>
public sealed class StatusTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Theory]
    [InlineData("pending", true, false, true)]
    [InlineData("started", true, false, true)]
    [InlineData("success", true, true, false)]
    [InlineData("failed", true, true, false)]
    [InlineData("SUCCESS", true, true, false)]
    [InlineData("cancelled", false, false, false)]
    [InlineData("", false, false, false)]
    public void ImportStatus_DoneInProgressKnown(string value, bool known, bool done, bool inProgress)
    {
        var status = new ImportStatus(value);

        Assert.Equal(known, status.IsKnown);
        Assert.Equal(done, status.IsDone);
        Assert.Equal(inProgress, status.IsInProgress);
        Assert.Equal(value, status.Value);
        Assert.Equal(value, status.ToString());
    }

    [Theory]
    [InlineData("working", true, false, true)]
    [InlineData("importing", true, false, true)]
    [InlineData("idle", true, true, false)]
    [InlineData("import_complete", true, true, false)]
    [InlineData("never_imported", true, false, false)]
    [InlineData("Idle", true, true, false)]
    [InlineData("paused_by_support", false, false, false)]
    [InlineData("", false, false, false)]
    public void DataSourceStatus_DoneInProgressKnown(string value, bool known, bool done, bool inProgress)
    {
        var status = new DataSourceStatus(value);

        Assert.Equal(known, status.IsKnown);
        Assert.Equal(done, status.IsDone);
        Assert.Equal(inProgress, status.IsInProgress);
        Assert.Equal(value, status.Value);
    }

    [Fact]
    public void NamedValues_AreTheDocumentedSpellings()
    {
        Assert.Equal(["pending", "started", "success", "failed"], new[] { ImportStatus.Pending, ImportStatus.Started, ImportStatus.Success, ImportStatus.Failed }.Select(s => s.Value));
        Assert.Equal(
            ["working", "idle", "never_imported", "importing", "import_complete"],
            new[] { DataSourceStatus.Working, DataSourceStatus.Idle, DataSourceStatus.NeverImported, DataSourceStatus.Importing, DataSourceStatus.ImportComplete }.Select(s => s.Value));
    }

    [Fact]
    public void Equality_IgnoresCaseAndKeepsTheValueAsSent()
    {
        ImportStatus sent = "Success";

        Assert.Equal(ImportStatus.Success, sent);
        Assert.True(sent == ImportStatus.Success);
        Assert.Equal(ImportStatus.Success.GetHashCode(), sent.GetHashCode());
        Assert.Equal("Success", sent.Value);
        Assert.True(ImportStatus.FromString("failed") != ImportStatus.Success);
        Assert.Equal(default(DataSourceStatus), new DataSourceStatus(null));
        Assert.Equal(string.Empty, default(DataSourceStatus).Value);
        Assert.False(DataSourceStatus.Idle.Equals((object)ImportStatus.Success));
    }

    [Theory]
    [InlineData("7", "7")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("false", "false")]
    [InlineData("""{"value":"success"}""", "")]
    [InlineData("""["success"]""", "")]
    [InlineData("null", "")]
    public async Task ImportStatusOfAnotherShape_DoesNotFailTheDocument(string sent, string value)
    {
        var import = await server.ReadImportAsync(
            """{"data":{"id":"i1","type":"subscription_import","attributes":{"status":""" + sent + ""","external_ref":"after-the-status"},"meta":{"owner":"store","records":{"uploaded":{"subscription":2},"imported":{"subscription":1}}}}}""");

        Assert.Equal(value, import.Status.Value);
        Assert.False(import.Status.IsKnown);
        Assert.Equal("after-the-status", import.ExternalRef);
        Assert.Equal(1, import.Records.Imported.Subscriptions);
    }

    [Theory]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    [InlineData("""{"state":"idle"}""", "")]
    [InlineData("[]", "")]
    public async Task DataSourceStatusOfAnotherShape_DoesNotFailTheDocument(string sent, string value)
    {
        var source = await server.ReadDataSourceAsync($$"""{"uuid":"ds_1","status":{{sent}},"name":"after-the-status"}""");

        Assert.Equal(value, source.Status.Value);
        Assert.False(source.Status.IsKnown);
        Assert.Equal("after-the-status", source.Name);
    }
}
