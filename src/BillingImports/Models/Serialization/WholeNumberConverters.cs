using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Reads the generated models' integer members the way the record counts are read: <c>17</c>,
/// <c>17.0</c> and <c>"17"</c> are 17, and a value that is not a whole number in range (text, a
/// fraction, an object) is left at its default (0, or null for an optional member) instead of failing
/// the document: a page of import errors must not be lost to one odd <c>line_number</c>. The model
/// template puts these on every integer member.
/// </summary>
internal sealed class WholeNumberConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WholeNumbers.Read(ref reader) ?? 0;

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) =>
        WholeNumbers.Write(writer, value);
}

/// <inheritdoc cref="WholeNumberConverter"/>
internal sealed class NullableWholeNumberConverter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WholeNumbers.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options) =>
        WholeNumbers.Write(writer, value);
}

/// <inheritdoc cref="WholeNumberConverter"/>
internal sealed class WholeNumber32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WholeNumbers.Read32(ref reader) ?? 0;

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) =>
        WholeNumbers.Write(writer, value);
}

/// <inheritdoc cref="WholeNumberConverter"/>
internal sealed class NullableWholeNumber32Converter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WholeNumbers.Read32(ref reader);

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options) =>
        WholeNumbers.Write(writer, value);
}

/// <summary>The one reading rule behind the four converters.</summary>
internal static class WholeNumbers
{
    public static long? Read(ref Utf8JsonReader reader)
    {
        if (JsonValues.TryReadWholeNumber(ref reader, out var value))
        {
            return value;
        }

        // Skip is a no-op on a primitive (null, text, a fraction) and moves past an object or array.
        reader.Skip();
        return null;
    }

    public static int? Read32(ref Utf8JsonReader reader) =>
        Read(ref reader) is { } value && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    public static void Write(Utf8JsonWriter writer, long? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
