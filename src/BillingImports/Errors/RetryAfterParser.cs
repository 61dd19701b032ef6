using System.Globalization;

namespace BillingImports;

/// <summary>
/// Reads <c>Retry-After</c> in both forms RFC 9110 allows: delta-seconds (<c>120</c>) and an HTTP
/// date (<c>Wed, 21 Oct 2026 07:28:00 GMT</c>, plus the obsolete RFC 850 and asctime forms).
/// </summary>
internal static class RetryAfterParser
{
    private static readonly string[] HttpDateFormats =
    [
        "r",
        "ddd, d MMM yyyy HH':'mm':'ss 'GMT'",
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        "ddd MMM d HH':'mm':'ss yyyy",
    ];

    // TimeSpan.FromSeconds overflows past about 29 billion seconds; no real service asks for more than this.
    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds - 1;

    /// <summary>
    /// The wait a response asks for. An HTTP date is measured from the response's own <c>Date</c>
    /// header when it has one (both come from the server's clock, so clock skew on this machine does
    /// not matter), else from <paramref name="time"/>'s now.
    /// </summary>
    public static TimeSpan? FromResponse(HttpResponseMessage response, TimeProvider time)
    {
        if (!response.Headers.NonValidated.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        var now = response.Headers.Date ?? time.GetUtcNow();
        foreach (var value in values)
        {
            return Parse(value, now);
        }

        return null;
    }

    /// <summary>The same rule over a header dictionary (the generated clients' copy).</summary>
    public static TimeSpan? FromHeaders(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, TimeProvider time)
    {
        string? retryAfter = null;
        DateTimeOffset? date = null;
        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                retryAfter = values.FirstOrDefault();
            }
            else if (string.Equals(name, "Date", StringComparison.OrdinalIgnoreCase) && TryParseHttpDate(values.FirstOrDefault(), out var parsed))
            {
                date = parsed;
            }
        }

        return retryAfter is null ? null : Parse(retryAfter, date ?? time.GetUtcNow());
    }

    /// <summary>
    /// Parses one value. Delta-seconds is also accepted with a fraction (<c>1.5</c>); a date in the past
    /// reads as zero; a negative number or anything unreadable reads as null (no advice).
    /// </summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, MaxSeconds));
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fractional) && double.IsFinite(fractional))
        {
            return TimeSpan.FromSeconds(Math.Min(fractional, MaxSeconds));
        }

        if (TryParseHttpDate(text, out var date))
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static bool TryParseHttpDate(string? text, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(
            text?.Trim(),
            HttpDateFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out date);
}
