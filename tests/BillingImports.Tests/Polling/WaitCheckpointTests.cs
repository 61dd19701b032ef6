using System.Text.Json;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Polling;

/// <summary>A checkpoint travels as JSON between processes: it round-trips, and what is not one is a clear error.</summary>
public sealed class WaitCheckpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static WaitCheckpoint Sample() => new()
    {
        ResourceKind = WaitResourceKind.Import,
        ResourceId = "11111111-2222-3333-4444-555555555555",
        StartedAt = Start,
        Deadline = Start + TimeSpan.FromMinutes(90),
        Attempt = 12,
        Interval = TimeSpan.FromTicks(33_750_001),
        ConsecutiveTransientFailures = 2,
        LastStatus = "started",
        Imported = 38,
        Uploaded = 53,
    };

    [Fact]
    public void Json_RoundTrips_EveryMemberToTheTick()
    {
        var checkpoint = Sample();

        var json = checkpoint.ToJson();

        Assert.Equal(checkpoint, WaitCheckpoint.FromJson(json));
        Assert.Equal(checkpoint, JsonSerializer.Deserialize(json, WaitCheckpoint.JsonTypeInfo));
    }

    [Fact]
    public void Json_NamesOnlyTheWaitsOwnFacts()
    {
        using var document = JsonDocument.Parse(Sample().ToJson());

        Assert.Equal(
            ["resourceKind", "resourceId", "startedAt", "deadline", "attempt", "interval", "consecutiveTransientFailures", "lastStatus", "imported", "uploaded"],
            document.RootElement.EnumerateObject().Select(member => member.Name));
        Assert.Equal("import", document.RootElement.GetProperty("resourceKind").GetString());
    }

    [Fact]
    public void Json_WaitWithoutTimeoutOnADataSource_LeavesTheDeadlineOut()
    {
        var time = new VirtualTime();
        var checkpoint = WaitCheckpoint.ForDataSource("ds_1", new PollingOptions { TimeProvider = time, Timeout = Timeout.InfiniteTimeSpan });

        var json = checkpoint.ToJson();

        Assert.DoesNotContain("deadline", json, StringComparison.Ordinal);
        Assert.Contains("\"resourceKind\":\"data_source\"", json, StringComparison.Ordinal);
        Assert.Null(WaitCheckpoint.FromJson(json).Deadline);
        Assert.Equal(time.GetUtcNow(), checkpoint.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(1), checkpoint.Interval);
    }

    [Theory]
    [InlineData("not json", "not a wait checkpoint")]
    [InlineData("null", "JSON literal null")]
    [InlineData("""{"resourceKind":"import","startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:01"}""", "resourceId")]
    [InlineData("""{"resourceKind":"import","resourceId":null,"startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:01"}""", "resourceId")]
    [InlineData("""{"resourceKind":"job","resourceId":"x","startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:01"}""", "resourceKind")]
    [InlineData("""{"resourceKind":"import","resourceId":"x","startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:01","attempt":-1}""", "Attempt is negative")]
    [InlineData("""{"resourceKind":"import","resourceId":"x","startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:00"}""", "Interval must be positive")]
    [InlineData("""{"resourceKind":"import","resourceId":"x","startedAt":"2026-11-22T09:00:00+00:00","deadline":"2026-11-22T08:00:00+00:00","interval":"00:00:01"}""", "Deadline is before StartedAt")]
    [InlineData("""{"resourceKind":"import","resourceId":" ","startedAt":"2026-11-22T09:00:00+00:00","interval":"00:00:01"}""", "ResourceId is empty")]
    public void FromJson_NotACheckpoint_ThrowsArgumentExceptionSayingWhy(string json, string why)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => WaitCheckpoint.FromJson(json));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForImport_InvalidOptionsOrId_ThrowBeforeAnything()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WaitCheckpoint.ForImport("x", new PollingOptions { Timeout = TimeSpan.FromDays(365) }));
        Assert.ThrowsAny<ArgumentException>(() => WaitCheckpoint.ForImport(" "));
    }
}
