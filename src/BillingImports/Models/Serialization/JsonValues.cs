using System.Globalization;
using System.Text.Json;

namespace BillingImports;

/// <summary>
/// Lenient readers for single JSON values, shared by the model accessors and the error parser: the
/// services send numbers as strings, whole numbers as floats and booleans as text, and one wrong
/// value must not cost the caller the rest of the document.
/// </summary>
internal static class JsonValues
{
    // 2^63 as a double: the first double that no longer fits in a long (long.MaxValue itself rounds up to it).
    private const double LongLimit = 9223372036854775808d;

    /// <summary>Reads a whole number from a number (12, 12.0, 1.2e1) or a numeric string ("12").</summary>
    public static bool TryGetWholeNumber(JsonElement element, out long value)
    {
        value = 0;
        return element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt64(out value) || (element.TryGetDouble(out var number) && TryWhole(number, out value)),
            JsonValueKind.String => TryParseWholeNumber(element.GetString(), out value),
            _ => false,
        };
    }

    /// <summary>The same rule as <see cref="TryGetWholeNumber(JsonElement, out long)"/>, on a reader positioned on a value.</summary>
    public static bool TryReadWholeNumber(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt64(out value) || (reader.TryGetDouble(out var number) && TryWhole(number, out value)),
            JsonTokenType.String => TryParseWholeNumber(reader.GetString(), out value),
            _ => false,
        };
    }

    /// <summary>Parses "12", " 12 ", "12.0" or "1.2e1"; rejects fractions, blanks and out-of-range values.</summary>
    public static bool TryParseWholeNumber(string? text, out long value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)
            || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && TryWhole(number, out value));
    }

    /// <summary>A whole number that fits in an <see cref="int"/>.</summary>
    public static int? GetInt32(JsonElement element) =>
        TryGetWholeNumber(element, out var value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : null;

    /// <summary>A whole number, or null when the value is missing or not a whole number.</summary>
    public static long? GetInt64(JsonElement element) => TryGetWholeNumber(element, out var value) ? value : null;

    /// <summary>true/false, or the strings "true"/"false" in any case; null otherwise.</summary>
    public static bool? GetBoolean(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(element.GetString()?.Trim(), out var flag) => flag,
        _ => null,
    };

    /// <summary>A string as is, a number or boolean as its JSON text; null for anything else.</summary>
    public static string? GetText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>The member <paramref name="name"/> of an object; false for a missing member or a non-object.</summary>
    public static bool TryGetMember(JsonElement element, string name, out JsonElement member)
    {
        member = default;
        return element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out member);
    }

    /// <summary>The text of member <paramref name="name"/>, or null.</summary>
    public static string? GetMemberText(JsonElement element, string name) =>
        TryGetMember(element, name, out var member) ? GetText(member) : null;

    private static bool TryWhole(double number, out long value)
    {
        // A count with a fraction is not a count; only integral doubles (12.0, 1.2e1) are accepted.
        if (double.IsFinite(number) && number == Math.Floor(number) && number >= -LongLimit && number < LongLimit)
        {
            value = (long)number;
            return true;
        }

        value = 0;
        return false;
    }
}
