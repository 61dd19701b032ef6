using System.Text.Json.Serialization;

namespace BillingImports.Benchmarks.Floor;

// The physical floor: what a careful team would write by hand against the same JSON with no SDK:
// plain classes, System.Text.Json source generation, no extension data, no open values.

public sealed class FloorDataSource
{
    [JsonPropertyName("uuid")] public string Uuid { get; set; } = "";
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("system")] public string? System { get; set; }
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
}

public sealed class FloorImportDocument
{
    [JsonPropertyName("data")] public FloorImport Data { get; set; } = new();
}

public sealed class FloorImport
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("attributes")] public FloorImportAttributes Attributes { get; set; } = new();
    [JsonPropertyName("meta")] public FloorImportMeta Meta { get; set; } = new();
}

public sealed class FloorImportAttributes
{
    [JsonPropertyName("external_ref")] public string? ExternalRef { get; set; }
    [JsonPropertyName("status")] public string Status { get; set; } = "";
}

public sealed class FloorImportMeta
{
    [JsonPropertyName("owner")] public string Owner { get; set; } = "";
    [JsonPropertyName("timestamps")] public FloorTimestamps Timestamps { get; set; } = new();
    [JsonPropertyName("records")] public FloorRecords Records { get; set; } = new();
}

public sealed class FloorRecords
{
    [JsonPropertyName("uploaded")] public Dictionary<string, long> Uploaded { get; set; } = [];
    [JsonPropertyName("imported")] public Dictionary<string, long> Imported { get; set; } = [];
}

public sealed class FloorTimestamps
{
    [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; set; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; set; }
}

[JsonSerializable(typeof(FloorDataSource))]
[JsonSerializable(typeof(FloorImportDocument))]
internal sealed partial class FloorJsonContext : JsonSerializerContext;
