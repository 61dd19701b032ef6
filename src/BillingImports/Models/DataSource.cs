using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

// CUSTOM: the missing-member rules, applied after reading.
public partial class DataSource : IJsonOnDeserialized
{
    /// <summary>
    /// A body with none of <c>uuid</c>, <c>name</c> and <c>status</c> is not a data source (the caller
    /// gets an invalid-response error); otherwise a missing or null <c>uuid</c> or <c>name</c> reads as
    /// the empty string, so the non-nullable properties never hold null, and a missing status reads
    /// as the empty, unknown one.
    /// </summary>
    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Uuid is null && Name is null && Status.Value.Length == 0)
        {
            // JsonException: the client reports it as an invalid response, naming where reading stopped.
            throw new JsonException("The body is not a data source: it has none of uuid, name and status.");
        }

        Uuid ??= string.Empty;
        Name ??= string.Empty;
    }
}
