using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>An open string value: any text the service sends is a value, known or not.</summary>
/// <typeparam name="TSelf">The value type.</typeparam>
internal interface IOpenValue<TSelf>
    where TSelf : struct, IOpenValue<TSelf>
{
    /// <summary>The value as sent.</summary>
    string Value { get; }

    /// <summary>Wraps a raw value.</summary>
    static abstract TSelf Create(string? value);
}

/// <summary>
/// Reads an open value without ever failing: a string is kept as sent, a number or boolean as its
/// JSON text (a service that starts sending codes must not break the document), and null, an
/// object or an array as the empty, unknown value.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal sealed class OpenValueConverter<T> : JsonConverter<T>
    where T : struct, IOpenValue<T>
{
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        T.Create(OpenValueTextConverter.ReadText(ref reader));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}

/// <summary>
/// Reads the text of an open value by the rules of <see cref="OpenValueConverter{T}"/>, for the
/// string members the generated models bind open values through.
/// </summary>
internal sealed class OpenValueTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    /// <summary>The value's text: a string as sent, a number or boolean as its JSON text, anything else null.</summary>
    public static string? ReadText(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                return System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            default:
                // Skip is a no-op on null and moves past a whole object or array.
                reader.Skip();
                return null;
        }
    }

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value ?? string.Empty);
    }
}
