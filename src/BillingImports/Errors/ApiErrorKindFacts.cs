namespace BillingImports;

internal static class ApiErrorKindFacts
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

    public static string? FindRequestId(IDictionary<string, IEnumerable<string>> headers)
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
}
