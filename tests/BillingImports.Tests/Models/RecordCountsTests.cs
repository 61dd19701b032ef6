using BillingImports.Tests.Errors;

namespace BillingImports.Tests.Models;

/// <summary>Record counts whose keys change between API versions, and counts of the wrong type.</summary>
public sealed class RecordCountsTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Read_OlderKeys_TypedAccessorsAndTotal()
    {
        var records = await Records("""{"uploaded":{"products":2,"plans":4,"subscribers":10,"subscriptions":10},"imported":{"products":2,"plans":4,"subscribers":3,"subscriptions":0}}""");

        Assert.Equal(2, records.UploadedCounts.Products);
        Assert.Equal(4, records.UploadedCounts.Plans);
        Assert.Equal(10, records.UploadedCounts.Subscribers);
        Assert.Equal(10, records.UploadedCounts.Subscriptions);
        Assert.Null(records.UploadedCounts.Offerings);
        Assert.Null(records.UploadedCounts.Features);
        Assert.Equal(26, records.UploadedCounts.Total);
        Assert.Equal(9, records.ImportedCounts.Total);
    }

    [Fact]
    public async Task Read_NewerKeys_TypedAccessorsAndOldOnesNull()
    {
        var records = await Records("""{"uploaded":{"offerings":3,"subscriptions":120,"features":8},"imported":{"offerings":3,"subscriptions":119,"features":8}}""");

        Assert.Equal(3, records.ImportedCounts.Offerings);
        Assert.Equal(119, records.ImportedCounts.Subscriptions);
        Assert.Equal(8, records.ImportedCounts.Features);
        Assert.Null(records.ImportedCounts.Products);
        Assert.Null(records.ImportedCounts.Plans);
        Assert.Null(records.ImportedCounts.Subscribers);
        Assert.Equal(131, records.UploadedCounts.Total);
    }

    [Fact]
    public async Task Read_SingularAndMixedCaseKeys_Matched()
    {
        var records = await Records("""{"uploaded":{"product":1,"Plan":2,"SUBSCRIBERS":3},"imported":{}}""");

        Assert.Equal(1, records.UploadedCounts.Products);
        Assert.Equal(2, records.UploadedCounts.Plans);
        Assert.Equal(3, records.UploadedCounts.Subscribers);
    }

    [Fact]
    public async Task Read_UnknownKey_KeptInMapAndTotal()
    {
        var records = await Records("""{"uploaded":{"subscriptions":5,"price_points":7},"imported":{"price_points":7}}""");

        Assert.True(records.UploadedCounts.TryGet("price_points", out var pricePoints));
        Assert.Equal(7, pricePoints);
        Assert.Equal(12, records.UploadedCounts.Total);
        Assert.Equal(7, records.ImportedCounts.Map["price_points"]);
        Assert.False(records.ImportedCounts.TryGet("subscriptions", out _));
    }

    [Theory]
    [InlineData("\"12\"", 12L)]
    [InlineData("\" 12 \"", 12L)]
    [InlineData("12.0", 12L)]
    [InlineData("1.2e1", 12L)]
    [InlineData("\"12.0\"", 12L)]
    [InlineData("-3", -3L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public async Task Read_CountAsStringOrIntegralFloat_Read(string sent, long expected)
    {
        var records = await Records($$$"""{"uploaded":{"subscriptions":{{{sent}}}},"imported":{"subscriptions":1}}""");

        Assert.Equal(expected, records.UploadedCounts.Subscriptions);
        Assert.Equal(expected, records.Uploaded["subscriptions"]);
    }

    [Theory]
    [InlineData("12.5")]
    [InlineData("\"twelve\"")]
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("{\"count\":12}")]
    [InlineData("[12]")]
    [InlineData("1e400")]
    [InlineData("9223372036854775808")]
    public async Task Read_CountNotAWholeNumber_LeftOutAndOthersKept(string sent)
    {
        var records = await Records($$$"""{"uploaded":{"plans":{{{sent}}},"subscriptions":4},"imported":{"subscriptions":2}}""");

        Assert.Null(records.UploadedCounts.Plans);
        Assert.False(records.Uploaded.ContainsKey("plans"));
        Assert.Equal(4, records.UploadedCounts.Subscriptions);
        Assert.Equal(4, records.UploadedCounts.Total);
    }

    [Theory]
    [InlineData("""{"uploaded":null,"imported":null}""")]
    [InlineData("""{}""")]
    [InlineData("""{"uploaded":[1,2],"imported":"many"}""")]
    public async Task Read_MapNullMissingOrNotAnObject_Empty(string records)
    {
        var read = await Records(records);

        Assert.Empty(read.Uploaded);
        Assert.Empty(read.Imported);
        Assert.Equal(0, read.UploadedCounts.Total);
        Assert.Null(read.ImportedCounts.Subscriptions);
    }

    [Fact]
    public void Total_HugeCounts_SaturatesInsteadOfOverflowing()
    {
        var counts = new RecordCounts(new Dictionary<string, long> { ["a"] = long.MaxValue, ["b"] = long.MaxValue });

        Assert.Equal(long.MaxValue, counts.Total);
    }

    [Fact]
    public void DefaultView_ReadsAsEmpty()
    {
        var counts = default(RecordCounts);

        Assert.Empty(counts.Map);
        Assert.Equal(0, counts.Total);
        Assert.Null(counts.Products);
        Assert.False(counts.TryGet("products", out _));
    }

    [Fact]
    public void Equality_ByWrappedMap()
    {
        var map = new Dictionary<string, long> { ["a"] = 1 };

        Assert.Equal(new RecordCounts(map), new RecordCounts(map));
        Assert.True(new RecordCounts(map) == new RecordCounts(map));
        Assert.True(new RecordCounts(map) != new RecordCounts(new Dictionary<string, long> { ["a"] = 1 }));
    }

    private async Task<SubscriptionImportRecords> Records(string records)
    {
        var import = await server.ReadImportAsync("""{"data":{"id":"i1","type":"subscription_import","attributes":{"status":"started","records":""" + records + "}}}");
        return import.Attributes.Records;
    }
}
