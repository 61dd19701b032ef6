using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>What a wait polls.</summary>
public enum WaitResourceKind
{
    /// <summary>An Elastic Path import job (<c>GET /v2/subscriptions/imports/{import_uuid}</c>).</summary>
    [JsonStringEnumMemberName("import")]
    Import = 0,

    /// <summary>A ChartMogul data source (<c>GET /v1/data_sources/{data_source_uuid}</c>).</summary>
    [JsonStringEnumMemberName("data_source")]
    DataSource = 1,
}
