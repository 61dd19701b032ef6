using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: the line's facts one step away (the service keeps them under meta), and the
// missing-member rules.
public partial class SubscriptionImportError : IJsonOnDeserialized
{
    /// <summary>The line of the uploaded file that failed, from 1 (<c>meta.line_number</c>); 0 when the service did not say.</summary>
    [JsonIgnore]
    public long LineNumber => Meta.LineNumber;

    /// <summary>The field at fault (<c>meta.field</c>); null when the whole line is.</summary>
    [JsonIgnore]
    public string? Field => Meta.Field;

    /// <summary>What is wrong with the line (<c>meta.error</c>).</summary>
    [JsonIgnore]
    public string Error => Meta.Error;

    /// <summary>The line's own <c>external_ref</c>, when it had one.</summary>
    [JsonIgnore]
    public string? ExternalRef => Meta.ExternalRef;

    /// <summary>"line 17, field plan_id: not found", for logs and messages.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Field is { Length: > 0 } field
        ? $"line {LineNumber}, field {field}: {Error}"
        : $"line {LineNumber}: {Error}";

    /// <summary>Missing or null members read as empty, so nothing declared non-nullable is null.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        Id ??= string.Empty;
        Type ??= string.Empty;
        Meta ??= new SubscriptionImportErrorMeta();
        Meta.Error ??= string.Empty;
    }
}

// CUSTOM: an error page without a data array is not the documented reply.
public partial class SubscriptionImportErrorPage : IJsonOnDeserializing, IJsonOnDeserialized
{
    // The generated initializer fills Data with an empty list; cleared here so that a body without
    // data (an error document sent with 200, say) is told apart from an empty page.
    void IJsonOnDeserializing.OnDeserializing() => Data = null!;

    /// <summary>A missing <c>data</c> array is not a page of errors; the client reports it as an invalid response.</summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Data is null)
        {
            throw new JsonException("The body is not a page of import errors: it has no data array.");
        }
    }
}
