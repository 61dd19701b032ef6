using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: shortcuts to the members a caller of a waiting loop reads on every poll, and the
// missing-member rules (see OnDeserialized).
public partial class SubscriptionImport : IJsonOnDeserializing, IJsonOnDeserialized
{
    /// <summary>The job status as an open value; <c>Attributes.Status</c> keeps the raw string.</summary>
    [JsonIgnore]
    public ImportStatus Status => new(Attributes?.Status);

    /// <summary>
    /// True once this instance was read from JSON: the document's initializer creates a placeholder
    /// when <c>data</c> is missing, and this tells the two apart.
    /// </summary>
    internal bool WasRead { get; private set; }

    void IJsonOnDeserializing.OnDeserializing() => WasRead = true;

    /// <summary>
    /// A missing or null <c>id</c>/<c>type</c> reads as the empty string and a missing or null
    /// <c>attributes</c> as an empty one (unknown status, no counts), so no property the model declares
    /// non-nullable is ever null.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        Id ??= string.Empty;
        Type ??= string.Empty;
        Attributes ??= new SubscriptionImportAttributes();
        Attributes.FillMissing();
    }
}

// CUSTOM: a document without an import job is not the documented reply.
public partial class SubscriptionImportDocument : IJsonOnDeserialized
{
    /// <summary>
    /// A body without a <c>data</c> object (an empty object, an error document sent with 200) cannot be
    /// read as an import; the generated client reports it as an invalid response.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is not { WasRead: true })
        {
            // JsonException: the generated client turns it into BillingImportsApiException (InvalidResponse).
            throw new JsonException("The body is not an import document: it has no data object.");
        }
    }
}

// CUSTOM: tolerant defaults for the members the spec marks required but the service may omit.
public partial class SubscriptionImportAttributes : IJsonOnDeserialized
{
    /// <summary>
    /// A missing or null <c>status</c> reads as the empty string (an unknown status that is not
    /// terminal, so a waiting loop keeps polling), and missing or null <c>records</c> as empty counts.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized() => FillMissing();

    internal void FillMissing()
    {
        Status ??= string.Empty;
        Records ??= new SubscriptionImportRecords();
        Records.FillMissing();
    }
}

// CUSTOM: typed accessors for the count maps, whose keys change between API versions.
public partial class SubscriptionImportRecords : IJsonOnDeserialized
{
    /// <summary>Typed view of <see cref="Uploaded"/>: records in the uploaded file, by record type.</summary>
    [JsonIgnore]
    public RecordCounts UploadedCounts => new(Uploaded);

    /// <summary>Typed view of <see cref="Imported"/>: records imported so far, by record type.</summary>
    [JsonIgnore]
    public RecordCounts ImportedCounts => new(Imported);

    /// <summary>A missing or null map reads as empty.</summary>
    void IJsonOnDeserialized.OnDeserialized() => FillMissing();

    internal void FillMissing()
    {
        Uploaded ??= new Dictionary<string, long>();
        Imported ??= new Dictionary<string, long>();
    }
}
