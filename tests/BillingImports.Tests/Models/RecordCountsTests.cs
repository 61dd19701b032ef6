using BillingImports.Tests.Errors;

namespace BillingImports.Tests.Models;

/// <summary>Record counts under <c>meta.records</c>, whose keys change between API versions, and counts of the wrong type.</summary>
public sealed class RecordCountsTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task Read_DocumentedKeys_TypedAccessorsMapAndTotal()
    {
        var records = await Records("""{"uploaded":{"subscription_product":2,"subscription_plan":4,"subscription_subscriber":10},"imported":{"subscription_product":2,"subscription_plan":4,"subscription_subscriber":3}}""");

        Assert.Equal(2, records.Uploaded.Products);
        Assert.Equal(4, records.Uploaded.Plans);
        Assert.Equal(10, records.Uploaded.Subscribers);
        Assert.Null(records.Uploaded.Offerings);
        Assert.Null(records.Uploaded.Subscriptions);
        Assert.Null(records.Uploaded.Features);
        Assert.Equal(16, records.Uploaded.Total);
        Assert.Equal(3, records.Imported.Subscribers);
        Assert.Equal(9, records.Imported.Total);
        Assert.Equal(4, records.Uploaded["subscription_plan"]);
        Assert.Equal(3, records.Uploaded.Count);
    }

    [Fact]
    public async Task Read_LaterKeys_EveryAccessorFindsItsKey()
    {
        var records = await Records("""{"uploaded":{"subscription_product":1,"subscription_plan":2,"subscription_subscriber":3,"subscription_offering":4,"subscription":5},"imported":{}}""");

        Assert.Equal(1, records.Uploaded.Products);
        Assert.Equal(2, records.Uploaded.Plans);
        Assert.Equal(3, records.Uploaded.Subscribers);
        Assert.Equal(4, records.Uploaded.Offerings);
        Assert.Equal(5, records.Uploaded.Subscriptions);
        Assert.Null(records.Uploaded.Features);
        Assert.Equal(15, records.Uploaded.Total);
        Assert.Empty(records.Imported);
    }

    [Fact]
    public async Task Read_NewestKeys_TypedAccessorsAndDroppedOnesNull()
    {
        var records = await Records("""{"uploaded":{"subscription_feature":8,"subscription_subscriber":40,"subscription_offering":3,"subscription":120},"imported":{"subscription_feature":8,"subscription_subscriber":40,"subscription_offering":3,"subscription":119}}""");

        Assert.Equal(8, records.Imported.Features);
        Assert.Equal(40, records.Imported.Subscribers);
        Assert.Equal(3, records.Imported.Offerings);
        Assert.Equal(119, records.Imported.Subscriptions);
        Assert.Null(records.Imported.Products);
        Assert.Null(records.Imported.Plans);
        Assert.Equal(171, records.Uploaded.Total);
        Assert.Equal(170, records.Imported.Total);
    }

    [Fact]
    public async Task Read_NearMissKeys_NotMatchedByAccessorsButKeptAndCounted()
    {
        // Accessors match the service's spelling exactly: a key spelled otherwise is another record type.
        var records = await Records("""{"uploaded":{"Subscription_Plan":2,"subscription_plans":1,"Subscription":4},"imported":{}}""");

        Assert.Null(records.Uploaded.Plans);
        Assert.Null(records.Uploaded.Subscriptions);
        Assert.Equal(3, records.Uploaded.Count);
        Assert.Equal(7, records.Uploaded.Total);
        Assert.Equal(2, records.Uploaded["Subscription_Plan"]);
    }

    [Fact]
    public async Task Read_UnknownKey_KeptInMapAndTotal()
    {
        var records = await Records("""{"uploaded":{"subscription":5,"subscription_price_point":7},"imported":{"subscription_price_point":7}}""");

        Assert.True(records.Uploaded.TryGetValue("subscription_price_point", out var pricePoints));
        Assert.Equal(7, pricePoints);
        Assert.Equal(12, records.Uploaded.Total);
        Assert.Equal(7, records.Imported["subscription_price_point"]);
        Assert.False(records.Imported.TryGetValue("subscription", out _));
        Assert.Equal(["subscription", "subscription_price_point"], records.Uploaded.Keys.Order());
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
        var records = await Records($$$"""{"uploaded":{"subscription":{{{sent}}}},"imported":{"subscription":1}}""");

        Assert.Equal(expected, records.Uploaded.Subscriptions);
        Assert.Equal(expected, records.Uploaded[RecordTypes.Subscription]);
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
    public async Task Read_CountNotAWholeNumber_DroppedAndOthersKept(string sent)
    {
        var records = await Records($$$"""{"uploaded":{"subscription_plan":{{{sent}}},"subscription":4},"imported":{"subscription":2}}""");

        Assert.Null(records.Uploaded.Plans);
        Assert.False(records.Uploaded.ContainsKey(RecordTypes.Plan));
        Assert.Equal(4, records.Uploaded.Subscriptions);
        Assert.Equal(4, records.Uploaded.Total);
        Assert.Equal(RecordTypes.Subscription, Assert.Single(records.Uploaded.Keys));
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
        Assert.Equal(0, read.Uploaded.Total);
        Assert.Null(read.Imported.Subscriptions);
    }

    [Fact]
    public async Task Read_CountsWhoseSumOverflows_TotalSaturates()
    {
        var records = await Records("""{"uploaded":{"subscription":9223372036854775807,"subscription_plan":9223372036854775807},"imported":{"subscription":-9223372036854775808,"subscription_plan":-1}}""");

        Assert.Equal(long.MaxValue, records.Uploaded.Total);
        Assert.Equal(long.MinValue, records.Imported.Total);
    }

    [Fact]
    public void Total_HugeCounts_SaturatesInsteadOfOverflowing()
    {
        var counts = new RecordCounts(new Dictionary<string, long> { ["a"] = long.MaxValue, ["b"] = long.MaxValue, ["c"] = 5 });

        Assert.Equal(long.MaxValue, counts.Total);
    }

    [Fact]
    public void DefaultValue_ReadsAsEmpty()
    {
        var counts = default(RecordCounts);

        Assert.Empty(counts);
        Assert.Empty(counts.Keys);
        Assert.Equal(0, counts.Total);
        Assert.Null(counts.Products);
        Assert.False(counts.TryGetValue(RecordTypes.Product, out _));
        Assert.Equal(RecordCounts.Empty, counts);
        Assert.Throws<KeyNotFoundException>(() => counts[RecordTypes.Product]);
    }

    [Fact]
    public void Equality_ByContentWhateverTheOrder()
    {
        var one = new RecordCounts([new(RecordTypes.Plan, 4), new(RecordTypes.Product, 2)]);
        var same = new RecordCounts([new(RecordTypes.Product, 2), new(RecordTypes.Plan, 4)]);
        var otherCount = new RecordCounts([new(RecordTypes.Product, 2), new(RecordTypes.Plan, 5)]);
        var otherKey = new RecordCounts([new(RecordTypes.Product, 2), new(RecordTypes.Subscription, 4)]);
        var fewer = new RecordCounts([new(RecordTypes.Product, 2)]);

        Assert.Equal(one, same);
        Assert.True(one == same);
        Assert.Equal(one.GetHashCode(), same.GetHashCode());
        Assert.True(one != otherCount);
        Assert.NotEqual(one, otherKey);
        Assert.NotEqual(one, fewer);
        Assert.NotEqual(fewer, one);
        Assert.Equal(RecordCounts.Empty, new RecordCounts([]));
        Assert.False(one.Equals((object)"subscription_plan=4"));
    }

    [Fact]
    public void Constructor_CopiesTheCountsAndALaterDuplicateWins()
    {
        var source = new Dictionary<string, long> { [RecordTypes.Subscriber] = 10 };
        var counts = new RecordCounts(source.Append(new(RecordTypes.Subscriber, 12)));

        source[RecordTypes.Subscriber] = 99;
        source[RecordTypes.Feature] = 1;

        Assert.Equal(12, counts.Subscribers);
        Assert.Null(counts.Features);
        Assert.Throws<ArgumentNullException>(() => new RecordCounts([new(null!, 1)]));
    }

    [Fact]
    public void Counts_AreReadOnly()
    {
        Assert.True(typeof(IReadOnlyDictionary<string, long>).IsAssignableFrom(typeof(RecordCounts)));
        Assert.False(typeof(IDictionary<string, long>).IsAssignableFrom(typeof(RecordCounts)));
        Assert.False(typeof(ICollection<KeyValuePair<string, long>>).IsAssignableFrom(typeof(RecordCounts)));
    }

    [Fact]
    public void RecordTypes_AreTheServicesSpellingsAndTheAccessorsUseThem()
    {
        var counts = new RecordCounts(
        [
            new(RecordTypes.Product, 1), new(RecordTypes.Plan, 2), new(RecordTypes.Subscriber, 3),
            new(RecordTypes.Offering, 4), new(RecordTypes.Subscription, 5), new(RecordTypes.Feature, 6),
        ]);

        Assert.Equal(
            ["subscription_product", "subscription_plan", "subscription_subscriber", "subscription_offering", "subscription", "subscription_feature"],
            [RecordTypes.Product, RecordTypes.Plan, RecordTypes.Subscriber, RecordTypes.Offering, RecordTypes.Subscription, RecordTypes.Feature]);
        Assert.Equal<long?>([1, 2, 3, 4, 5, 6], [counts.Products, counts.Plans, counts.Subscribers, counts.Offerings, counts.Subscriptions, counts.Features]);
        Assert.Equal(21, counts.Total);
    }

    [Fact]
    public void ToString_ListsEveryCountForLogs()
    {
        var counts = new RecordCounts([new(RecordTypes.Plan, 4), new("subscription_price_point", 7)]);

        Assert.Equal("subscription_plan=4, subscription_price_point=7", counts.ToString());
    }

    private async Task<SubscriptionImportRecords> Records(string records)
    {
        var import = await server.ReadImportAsync("""{"data":{"id":"i1","type":"subscription_import","attributes":{"status":"started"},"meta":{"owner":"store","records":""" + records + "}}}");
        return import.Records;
    }
}
