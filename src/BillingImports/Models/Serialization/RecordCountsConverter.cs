using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Reads a <c>records.uploaded</c> / <c>records.imported</c> map without ever failing: whole numbers
/// (<c>12</c>, <c>12.0</c>, <c>"12"</c>) are kept; a value that is not a whole number (a fraction,
/// text, null, an object) is left out, so its typed accessor reads "unknown"; a map that is null or
/// not an object reads as empty. A count is progress information, and a wrong one must not hide the
/// job's status.
/// </summary>
internal sealed class RecordCountsConverter : JsonConverter<IDictionary<string, long>>
{
    public override bool HandleNull => true;

    public override IDictionary<string, long> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Skip is a no-op on a primitive and moves past the whole value on an array.
            reader.Skip();
            return counts;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString() ?? string.Empty;
            reader.Read();
            if (JsonValues.TryReadWholeNumber(ref reader, out var count))
            {
                counts[key] = count;
            }
            else
            {
                reader.Skip();
            }
        }

        return counts;
    }

    public override void Write(Utf8JsonWriter writer, IDictionary<string, long> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        foreach (var (key, count) in value)
        {
            writer.WriteNumber(key, count);
        }

        writer.WriteEndObject();
    }
}
