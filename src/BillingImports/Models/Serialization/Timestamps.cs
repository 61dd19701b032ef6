using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// Reads ISO 8601 / RFC 3339 timestamps as the services send them. System.Text.Json already reads
/// 0 to 9+ fractional digits (keeping 7, truncated) and <c>±hh:mm</c> offsets, but it rejects what
/// RFC 3339 also allows (a space or lower-case <c>t</c> between date and time, lower-case <c>z</c>),
/// compact offsets (<c>+0530</c>) and decimal commas, and it reads a timestamp without an offset in
/// the machine's local zone, so the same reply would mean different instants on different servers.
/// </summary>
internal static class Timestamps
{
    /// <summary>The longest offset a <see cref="DateTimeOffset"/> takes, in minutes (±14:00).</summary>
    private const int MaxOffsetMinutes = 14 * 60;

    /// <summary>Parses a timestamp; fractions beyond 7 digits are truncated and a missing offset means UTC.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        var s = text.Trim();
        if (s.Length < 10 || s.Length > 64)
        {
            return false;
        }

        var normal = new StringBuilder(40).Append(s[..10]);
        var i = 10;
        if (i == s.Length)
        {
            // A bare date is midnight UTC.
            normal.Append("T00:00:00Z");
        }
        else
        {
            if (s[i] is not ('T' or 't' or ' '))
            {
                return false;
            }

            normal.Append('T');
            i++;
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == ':'))
            {
                i++;
            }

            normal.Append(s[start..i]);
            if (i < s.Length && s[i] is '.' or ',')
            {
                i++;
                var fraction = i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    i++;
                }

                if (i == fraction)
                {
                    return false;
                }

                // .NET keeps 7 digits (100 ns); nanoseconds are truncated, as System.Text.Json does.
                normal.Append('.').Append(s.Slice(fraction, Math.Min(i - fraction, 7)));
            }

            if (!AppendOffset(normal, s[i..]))
            {
                return false;
            }
        }

        return TryParseNormalized(normal.ToString(), out value);
    }

    /// <summary>
    /// Reads a JSON string token as a timestamp. What the services send ends in <c>Z</c> or
    /// <c>±hh:mm</c>, which System.Text.Json's own reader takes as it stands: no copy, and code that is
    /// precompiled, where this class's would be compiled at an application's first call. Without an
    /// offset that reader would use the machine's zone, so anything else, and anything it refuses, is
    /// copied to the stack (a string would be garbage once read) and read by <see cref="TryParse"/>.
    /// </summary>
    /// <param name="reader">A reader on a string token.</param>
    /// <param name="blank">True when the text is empty or white space (the caller decides what that means).</param>
    /// <param name="value">The timestamp read.</param>
    /// <returns>True when the text is a timestamp.</returns>
    public static bool TryRead(ref Utf8JsonReader reader, out bool blank, out DateTimeOffset value)
    {
        blank = false;
        if (!reader.HasValueSequence && EndsInOffset(reader.ValueSpan) && reader.TryGetDateTimeOffset(out value))
        {
            return true;
        }

        const int StackChars = 128;
        var utf8Length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (utf8Length > StackChars)
        {
            var text = reader.GetString();
            blank = string.IsNullOrWhiteSpace(text);
            return TryParse(text, out value);
        }

        // An escaped token never unescapes to more characters than it has UTF-8 bytes.
        Span<char> buffer = stackalloc char[StackChars];
        var chars = buffer[..reader.CopyString(buffer)];
        blank = chars.IsWhiteSpace();
        return TryParse(chars, out value);
    }

    /// <summary>
    /// True when the raw token ends in a digit, then <c>Z</c> or <c>±hh:mm</c>: the digit, since
    /// System.Text.Json also takes a fraction point with no digits, which the normal form refuses.
    /// </summary>
    private static bool EndsInOffset(ReadOnlySpan<byte> s) =>
        s.Length > 7
        && (s[^1] == 'Z'
            ? char.IsAsciiDigit((char)s[^2])
            : s[^6] is (byte)'+' or (byte)'-' && s[^3] == ':' && char.IsAsciiDigit((char)s[^7]));

    /// <summary>
    /// Reads the normal form <c>yyyy-MM-ddTHH:mm[:ss[.f{1,7}]]</c> then <c>Z</c> or <c>±hh:mm</c>,
    /// as <c>DateTimeOffset.TryParseExact</c> with <c>yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK</c> and
    /// <c>yyyy-MM-dd'T'HH:mmK</c> (invariant culture) reads it, digit by digit: the culture's
    /// parser matches the quoted <c>T</c> with a culture-aware comparison, which loads ICU and
    /// builds a collator, several milliseconds of an application's first call.
    /// </summary>
    internal static bool TryParseNormalized(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 17
            || !TryDigits(s[..4], out var year) || s[4] != '-'
            || !TryDigits(s.Slice(5, 2), out var month) || s[7] != '-'
            || !TryDigits(s.Slice(8, 2), out var day) || s[10] != 'T'
            || !TryDigits(s.Slice(11, 2), out var hour) || s[13] != ':'
            || !TryDigits(s.Slice(14, 2), out var minute))
        {
            return false;
        }

        var i = 16;
        var second = 0;
        var fraction = 0L;
        if (s[i] == ':')
        {
            if (s.Length < 19 || !TryDigits(s.Slice(17, 2), out second))
            {
                return false;
            }

            i = 19;
            if (i < s.Length && s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    fraction = (fraction * 10) + (s[i] - '0');
                    i++;
                }

                var digits = i - start;
                if (digits > 7)
                {
                    return false;
                }

                for (; digits < 7; digits++)
                {
                    fraction *= 10;
                }
            }
        }

        if (!TryOffset(s[i..], out var offsetMinutes))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || Math.Abs(offsetMinutes) > MaxOffsetMinutes)
        {
            return false;
        }

        var ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction;
        var offsetTicks = offsetMinutes * TimeSpan.TicksPerMinute;
        var utcTicks = ticks - offsetTicks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.FromTicks(offsetTicks));
        return true;
    }

    /// <summary><c>Z</c>, or a sign, one or two digits of hours, an optional <c>:</c> and two digits of minutes, as <c>K</c> reads an offset.</summary>
    private static bool TryOffset(ReadOnlySpan<char> offset, out int minutes)
    {
        minutes = 0;
        if (offset is "Z")
        {
            return true;
        }

        if (offset.Length < 4 || offset[0] is not ('+' or '-'))
        {
            return false;
        }

        var hourDigits = char.IsAsciiDigit(offset[2]) ? 2 : 1;
        var rest = offset[(1 + hourDigits)..];
        if (!rest.IsEmpty && rest[0] == ':')
        {
            rest = rest[1..];
        }

        if (rest.Length != 2 || !TryDigits(offset.Slice(1, hourDigits), out var hours) || !TryDigits(rest, out var minute) || minute > 59)
        {
            return false;
        }

        minutes = ((hours * 60) + minute) * (offset[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    private static bool AppendOffset(StringBuilder normal, ReadOnlySpan<char> offset)
    {
        if (offset.IsEmpty || offset is "Z" or "z")
        {
            // No offset: the services keep their clocks in UTC.
            normal.Append('Z');
            return true;
        }

        if (offset[0] is not ('+' or '-'))
        {
            return false;
        }

        var digits = offset[1..];
        if (digits.Length == 2 && IsDigits(digits))
        {
            normal.Append(offset).Append(":00");
            return true;
        }

        if (digits.Length == 4 && IsDigits(digits))
        {
            normal.Append(offset[0]).Append(digits[..2]).Append(':').Append(digits[2..]);
            return true;
        }

        if (digits.Length == 5 && digits[2] == ':' && IsDigits(digits[..2]) && IsDigits(digits[3..]))
        {
            normal.Append(offset);
            return true;
        }

        return false;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Reads <see cref="DateTimeOffset"/> through <see cref="Timestamps"/>.</summary>
internal sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && Timestamps.TryRead(ref reader, out _, out var value))
        {
            return value;
        }

        // JsonException, so the generated client reports it as an unreadable response, never a raw crash.
        throw new JsonException("The value is not an ISO 8601 timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>
/// Reads optional timestamps: null, and the empty string some services send before a stage
/// starts, read as absent.
/// </summary>
internal sealed class NullableTimestampConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            if (Timestamps.TryRead(ref reader, out var blank, out var value))
            {
                return value;
            }

            if (blank)
            {
                return null;
            }
        }

        throw new JsonException("The value is not an ISO 8601 timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } timestamp)
        {
            writer.WriteStringValue(timestamp);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
