namespace BillingImports;

// CUSTOM: the typed, open view of the generated string status.
public partial class DataSource
{
    /// <summary>The status as an open value; <see cref="Status"/> keeps the raw string.</summary>
    [global::System.Text.Json.Serialization.JsonIgnore]
    public DataSourceStatus TypedStatus => new(Status);
}
