using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: the JSON:API status member is an integer in live replies and a string in the docs; the
// generated property keeps the raw JSON, this reads it as a number.
public partial class JsonApiError
{
    /// <summary>
    /// <see cref="Status"/> as a number, from <c>404</c>, <c>"404"</c> or <c>"404 Not Found"</c>; null
    /// when absent or unreadable. It may disagree with the HTTP status of the response.
    /// </summary>
    [JsonIgnore]
    public int? StatusCode => Status is { } status ? ErrorBodyParser.ReadStatus(status) : null;

    /// <summary>The ids <c>meta.missing_ids</c> names; empty when none.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> MissingIds => Meta?.MissingIds is { } ids ? [.. ids] : [];
}
