using System.Text.Json;

namespace BillingImports;

/// <summary>
/// One error reported by a service, normalised across ChartMogul's and Elastic Path's shapes.
/// </summary>
/// <param name="Status">The status the body states, which may disagree with the HTTP status; null when absent.</param>
/// <param name="Code">A machine-readable code (ChartMogul <c>code</c>), when present.</param>
/// <param name="Title">A short summary (JSON:API <c>title</c>, ChartMogul <c>error</c> or <c>message</c>).</param>
/// <param name="Detail">A longer explanation, when present.</param>
/// <param name="Field">The request field or parameter the error is about, when known.</param>
public sealed record ApiError(int? Status, string? Code, string? Title, string? Detail, string? Field)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoExtra = new Dictionary<string, JsonElement>();

    /// <summary>Ids the service reports as missing (JSON:API <c>meta.missing_ids</c>); empty when none.</summary>
    public IReadOnlyList<string> MissingIds { get; init; } = [];

    /// <summary>
    /// The members of the error object that have no typed property above (JSON:API <c>source</c>,
    /// <c>meta</c>, <c>request_id</c>, anything new), as raw JSON; empty when none.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Extra { get; init; } = NoExtra;
}
