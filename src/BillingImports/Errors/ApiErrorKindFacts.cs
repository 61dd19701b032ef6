using System.Text.RegularExpressions;

namespace BillingImports;

internal static partial class ApiErrorKindFacts
{
    private static readonly string[] RequestIdHeaders = ["X-Request-Id", "Request-Id", "X-Correlation-Id", "X-Amzn-RequestId"];

    public static ApiErrorKind FromStatus(int status) => status switch
    {
        400 => ApiErrorKind.BadRequest,
        401 => ApiErrorKind.Unauthorized,
        403 => ApiErrorKind.Forbidden,
        404 or 410 => ApiErrorKind.NotFound,
        408 => ApiErrorKind.Timeout,
        422 => ApiErrorKind.Validation,
        429 => ApiErrorKind.RateLimited,
        >= 500 and < 600 => ApiErrorKind.ServerError,
        _ => ApiErrorKind.Unknown,
    };

    public static string? FindRequestId(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers)
    {
        foreach (var name in RequestIdHeaders)
        {
            foreach (var header in headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value.FirstOrDefault();
                }
            }
        }

        return null;
    }

    /// <summary>A request id fit to print: no control characters, at most 128 characters; null when empty.</summary>
    public static string? CleanRequestId(string? requestId)
    {
        var cleaned = ErrorText.Clean(requestId, 128);
        return cleaned.Length == 0 ? null : cleaned;
    }

    /// <summary>
    /// True when the body says the id in the path is malformed: ChartMogul's 422
    /// <c>{"error":"Invalid UUID passed","error_details":[{"code":"invalid_uuid",...}]}</c> or Elastic
    /// Path's 400 <c>"import_uuid: must be a valid UUID"</c>.
    /// </summary>
    public static bool SaysInvalidId(ParsedErrorBody parsed)
    {
        if (parsed.Summary is { } summary && MentionsInvalidId(summary))
        {
            return true;
        }

        foreach (var error in parsed.Errors)
        {
            if (error.Code is { } code && (code.Equals("invalid_uuid", StringComparison.OrdinalIgnoreCase) || code.Equals("invalid_id", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if ((error.Title is { } title && MentionsInvalidId(title)) || (error.Detail is { } detail && MentionsInvalidId(detail)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MentionsInvalidId(string text)
    {
        try
        {
            return InvalidId().IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    // "Invalid UUID passed", "must be a valid UUID", "not a valid id"; not "id_token" (\b after id).
    [GeneratedRegex(@"\b(in)?valid\s+(uuid|id)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 200)]
    private static partial Regex InvalidId();
}
