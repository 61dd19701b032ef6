using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: what a poll reads, one step away: status, the caller's reference and the record counts
// (which the service keeps under meta, not attributes), and the missing-member rules.
public partial class SubscriptionImport : IJsonOnDeserializing, IJsonOnDeserialized
{
    /// <summary>The job status (<c>attributes.status</c>), an open value.</summary>
    [JsonIgnore]
    public ImportStatus Status => Attributes.Status;

    /// <summary>The caller's own reference for the job (<c>attributes.external_ref</c>); null when none was given.</summary>
    [JsonIgnore]
    public string? ExternalRef => Attributes.ExternalRef;

    /// <summary>Records uploaded and imported so far, by record type (<c>meta.records</c>).</summary>
    [JsonIgnore]
    public SubscriptionImportRecords Records => Meta.Records;

    /// <summary>When the job was created, updated, started and finished (<c>meta.timestamps</c>).</summary>
    [JsonIgnore]
    public SubscriptionImportTimestamps Timestamps => Meta.Timestamps;

    /// <summary>
    /// True once this instance was read from JSON: the document's initializer creates a placeholder
    /// when <c>data</c> is missing, and this tells the two apart.
    /// </summary>
    internal bool WasRead { get; private set; }

    void IJsonOnDeserializing.OnDeserializing() => WasRead = true;

    /// <summary>
    /// A missing or null <c>id</c>/<c>type</c>/<c>owner</c> reads as the empty string, and missing or
    /// null <c>attributes</c>, <c>meta</c>, <c>timestamps</c> and <c>records</c> as empty ones (an
    /// unknown status, no counts), so nothing the model declares non-nullable is ever null.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        Id ??= string.Empty;
        Type ??= string.Empty;
        Attributes ??= new SubscriptionImportAttributes();
        Meta ??= new SubscriptionImportMeta();
        Meta.Owner ??= string.Empty;
        Meta.Timestamps ??= new SubscriptionImportTimestamps();
        Meta.Records ??= new SubscriptionImportRecords();
    }
}

// CUSTOM: a document without an import job is not the documented reply.
internal partial class SubscriptionImportDocument : IJsonOnDeserialized
{
    /// <summary>
    /// A body without a <c>data</c> object (an empty object, an error document sent with 200) cannot
    /// be read as an import; the client reports it as an invalid response.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is not { WasRead: true })
        {
            throw new JsonException("The body is not an import document: it has no data object.");
        }
    }
}
