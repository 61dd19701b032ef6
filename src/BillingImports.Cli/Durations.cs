using System.CommandLine.Parsing;
using System.Globalization;

namespace BillingImports.Cli;

/// <summary>Reads the <c>--timeout</c> value: <c>90s</c>, <c>10m</c>, <c>2h</c>, or a time span such as <c>01:30:00</c>.</summary>
internal static class Durations
{
    public const string Help = "How long a wait may take before it gives up (exit code 3): 90s, 10m, 2h or 01:30:00. Default 1 hour.";

    /// <summary>The option parser: a positive duration, or a parse error that names the accepted forms.</summary>
    public static TimeSpan? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"--timeout must be a positive duration such as 90s, 10m, 2h or 01:30:00, not '{text}'.");
        return null;
    }

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1]))
        {
            var unit = char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                _ => TimeSpan.Zero,
            };
            if (unit == TimeSpan.Zero || !double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count))
            {
                return false;
            }

            // More than a year is a typing error (and a far larger count would overflow TimeSpan).
            if (count * unit.TotalHours is > 0 and <= 24 * 365)
            {
                duration = unit * count;
                return true;
            }

            return false;
        }

        // Only the clock form: TimeSpan reads a bare "5" as five days, which no one typing --timeout 5 means.
        return text.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration)
            && duration > TimeSpan.Zero;
    }
}
