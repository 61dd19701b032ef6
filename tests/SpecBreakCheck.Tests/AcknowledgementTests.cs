using SpecBreakCheck.Tests.Support;

namespace SpecBreakCheck.Tests;

public sealed class AcknowledgementTests
{
    private static readonly BreakingChange Renamed = new(BreakRules.OperationIdChanged, "GET /v1/data_sources/{data_source_uuid}", "renamed");
    private static readonly BreakingChange RecordsGone = new(BreakRules.ResponseMemberRemoved, "GET /v2/subscriptions/imports/{import_uuid} 200 application/json $.data.attributes.records", "gone");
    private static readonly BreakingChange RecordsGoneFromCreate = new(BreakRules.ResponseMemberRemoved, "POST /v2/subscriptions/imports 201 application/json $.data.attributes.records", "gone");

    [Fact]
    public void Result_AcknowledgedBreak_Passes()
    {
        var result = BreakCheckResult.From([Renamed], [new Acknowledgement(Renamed.Key, "Matches the vendor's name.")]);

        Assert.True(result.Passed);
        Assert.Equal(Renamed, Assert.Single(result.Acknowledged).Change);
    }

    [Fact]
    public void Result_UnacknowledgedBreak_Fails()
    {
        var result = BreakCheckResult.From([Renamed, RecordsGone], [new Acknowledgement(Renamed.Key, "Matches the vendor's name.")]);

        Assert.False(result.Passed);
        Assert.Equal([RecordsGone], result.Unacknowledged);
    }

    [Fact]
    public void Result_AcknowledgementThatCoversNoBreak_IsStaleAndFails()
    {
        var stale = new Acknowledgement("parameter-removed: GET /v1/data_sources/{data_source_uuid} query include", "Never sent.");

        var result = BreakCheckResult.From([Renamed], [new Acknowledgement(Renamed.Key, "Matches the vendor's name."), stale]);

        Assert.False(result.Passed);
        Assert.Equal([stale], result.Stale);
    }

    [Fact]
    public void Acknowledgement_WithWildcard_CoversTheSameMemberInEveryResponse()
    {
        var acknowledgement = new Acknowledgement("response-member-removed: * $.data.attributes.records", "Moved to data.meta.records.");

        Assert.True(acknowledgement.Covers(RecordsGone));
        Assert.True(acknowledgement.Covers(RecordsGoneFromCreate));
        Assert.False(acknowledgement.Covers(Renamed));
    }

    [Fact]
    public void Acknowledgement_WithoutWildcard_CoversOnlyItsOwnKey()
    {
        var acknowledgement = new Acknowledgement(RecordsGone.Key, "Moved to data.meta.records.");

        Assert.True(acknowledgement.Covers(RecordsGone));
        Assert.False(acknowledgement.Covers(RecordsGoneFromCreate));
        Assert.False(acknowledgement.Covers(RecordsGone with { Location = RecordsGone.Location + ".uploaded" }));
    }

    [Fact]
    public void File_ReadsEachEntry()
    {
        var acknowledgements = AcknowledgementFile.Parse("""
            acknowledged:
              - change: "operation-id-changed: GET /v1/data_sources/{data_source_uuid}"
                reason: Matches the vendor's name.
            """, "test");

        Assert.Equal([new Acknowledgement(Renamed.Key, "Matches the vendor's name.")], acknowledgements);
    }

    [Fact]
    public void File_EmptyList_HasNoEntries()
    {
        Assert.Empty(AcknowledgementFile.Parse("acknowledged: []\n", "test"));
    }

    [Fact]
    public void File_EntryWithoutReason_IsRejected()
    {
        var error = Assert.Throws<SpecLoadException>(() => AcknowledgementFile.Parse("""
            acknowledged:
              - change: "operation-id-changed: GET /v1/data_sources/{data_source_uuid}"
            """, "acks.yaml"));

        Assert.Contains("entry 1 needs both a change and a reason", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_MisspeltKey_IsRejected()
    {
        Assert.Throws<SpecLoadException>(() => AcknowledgementFile.Parse("""
            acknowledged:
              - change: "operation-id-changed: GET /v1/data_sources/{data_source_uuid}"
                reasons: Matches the vendor's name.
            """, "acks.yaml"));
    }

    [Fact]
    public void Check_ItsOwnOutput_IsWhatAnAcknowledgementMatches()
    {
        // The key a reviewer copies from the report into the file covers the break it came from.
        var current = Fixture.Edit(("enum: [append, replace]", "enum: [append]"));
        var key = Assert.Single(Fixture.Breaks(current));
        var acknowledgements = AcknowledgementFile.Parse($"acknowledged:\n  - change: '{key}'\n    reason: Replace was never implemented.\n", "test");

        var breaks = SpecComparer.Compare(SpecDocumentLoader.Parse(Fixture.Released, "released"), SpecDocumentLoader.Parse(current, "current"));

        Assert.True(BreakCheckResult.From(breaks, acknowledgements).Passed);
    }
}
