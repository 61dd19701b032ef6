namespace BillingImports;

// CUSTOM: shortcuts to the members a caller of a waiting loop reads on every poll.
public partial class SubscriptionImport
{
    /// <summary>The job status as an open value; <c>Attributes.Status</c> keeps the raw string.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ImportStatus Status => new(Attributes?.Status);
}
