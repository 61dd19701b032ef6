using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Reads a <c>meta.records.uploaded</c> / <c>meta.records.imported</c> map without ever failing:
/// whole numbers (<c>12</c>, <c>12.0</c>, <c>"12"</c>) are kept; a value that is not a whole number
/// (a fraction, text, null, an object) is left out, so its typed accessor reads "unknown"; a map that
/// is null or not an object reads as empty. A count is progress information, and a wrong one must
/// not hide the job's status.
/// </summary>
internal sealed class RecordCountsConverter : JsonConverter<RecordCounts>
{
    public override bool HandleNull => true;

    public override RecordCounts Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // Skip is a no-op on a primitive and moves past the whole value on an array.
            reader.Skip();
            return RecordCounts.Empty;
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString() ?? string.Empty;
            reader.Read();
            if (WholeNumbers.Read(ref reader) is { } count)
            {
                counts[key] = count;
            }
        }

        return new RecordCounts(counts, true);
    }

    public override void Write(Utf8JsonWriter writer, RecordCounts value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (key, count) in value)
        {
            writer.WriteNumber(key, count);
        }

        writer.WriteEndObject();
    }
}
