using System.Diagnostics.CodeAnalysis;

namespace BillingImports;

/// <summary>
/// Questions callers ask about a failure, answered for any exception: each one finds the
/// <see cref="BillingImportsApiException"/> itself or among the inner exceptions (including every
/// exception inside an <see cref="AggregateException"/>, which Kiota's retry handler throws after
/// its last try), so a caller need not unwrap.
/// </summary>
public static class ApiErrorExtensions
{
    // Deep enough for any real wrapping; bounded so a cyclic or hostile chain cannot loop forever.
    private const int MaxDepth = 32;

    /// <summary>Finds the <see cref="BillingImportsApiException"/> in <paramref name="exception"/> or its inner exceptions.</summary>
    /// <param name="exception">Any exception.</param>
    /// <param name="apiException">The first one found, searching breadth-first from the outermost.</param>
    /// <returns>True when one was found.</returns>
    public static bool TryGetApiException(this Exception? exception, [NotNullWhen(true)] out BillingImportsApiException? apiException)
    {
        apiException = null;
        if (exception is null)
        {
            return false;
        }

        var queue = new Queue<(Exception Exception, int Depth)>();
        queue.Enqueue((exception, 0));
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        while (queue.Count > 0)
        {
            var (current, depth) = queue.Dequeue();
            if (!seen.Add(current))
            {
                continue;
            }

            if (current is BillingImportsApiException found)
            {
                apiException = found;
                return true;
            }

            if (depth >= MaxDepth)
            {
                continue;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    queue.Enqueue((inner, depth + 1));
                }
            }
            else if (current.InnerException is { } inner)
            {
                queue.Enqueue((inner, depth + 1));
            }
        }

        return false;
    }

    /// <summary>The errors the service reported, from <paramref name="exception"/> or its inner exceptions.</summary>
    /// <param name="exception">Any exception.</param>
    /// <param name="errors">The parsed errors; empty when there is no API exception or it carried none.</param>
    /// <returns>True when at least one error was found.</returns>
    public static bool TryGetApiErrors(this Exception? exception, out IReadOnlyList<ApiError> errors)
    {
        errors = exception.TryGetApiException(out var api) ? api.Errors : [];
        return errors.Count > 0;
    }

    /// <summary>The errors about one request field or parameter (ChartMogul <c>param</c>, JSON:API <c>source</c>), matched ignoring case.</summary>
    /// <param name="exception">Any exception.</param>
    /// <param name="field">The field name, such as <c>name</c> or <c>data_source_uuid</c>.</param>
    /// <returns>The matching errors; empty when none.</returns>
    public static IReadOnlyList<ApiError> FindErrorsByField(this Exception? exception, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        exception.TryGetApiErrors(out var errors);
        return [.. errors.Where(error => string.Equals(error.Field, field, StringComparison.OrdinalIgnoreCase))];
    }

    /// <summary>The errors whose body states <paramref name="status"/> (which may differ from the HTTP status).</summary>
    /// <param name="exception">Any exception.</param>
    /// <param name="status">The status the error object states.</param>
    /// <returns>The matching errors; empty when none.</returns>
    public static IReadOnlyList<ApiError> FindErrorsByStatus(this Exception? exception, int status)
    {
        exception.TryGetApiErrors(out var errors);
        return [.. errors.Where(error => error.Status == status)];
    }

    /// <summary>The kind of the API failure, or <see cref="ApiErrorKind.Unknown"/> when the exception is not one.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>The kind.</returns>
    public static ApiErrorKind GetApiErrorKind(this Exception? exception) =>
        exception.TryGetApiException(out var api) ? api.Kind : ApiErrorKind.Unknown;

    /// <summary>
    /// True when the resource does not exist: 404 or 410, and also a malformed id, which ChartMogul
    /// answers with 422 "Invalid UUID passed" and Elastic Path with 400 "must be a valid UUID" (no
    /// resource can have such an id). Use <see cref="IsInvalidId"/> to tell the two apart.
    /// </summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.NotFound"/>.</returns>
    public static bool IsNotFound(this Exception? exception) => exception.GetApiErrorKind() == ApiErrorKind.NotFound;

    /// <summary>True when the service rejected the id itself as malformed (a 400 or 422 read as not found).</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True when the id was malformed rather than unknown.</returns>
    public static bool IsInvalidId(this Exception? exception) =>
        exception.TryGetApiException(out var api) && api.Kind == ApiErrorKind.NotFound && api.StatusCode is 400 or 422;

    /// <summary>True for 429: too many requests (see <see cref="GetRetryAfter"/>).</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.RateLimited"/>.</returns>
    public static bool IsRateLimited(this Exception? exception) => exception.GetApiErrorKind() == ApiErrorKind.RateLimited;

    /// <summary>True for 401 or 403: the credentials are missing, wrong, expired or lack the permission.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.Unauthorized"/> or <see cref="ApiErrorKind.Forbidden"/>.</returns>
    public static bool IsAuthError(this Exception? exception) => exception.GetApiErrorKind() is ApiErrorKind.Unauthorized or ApiErrorKind.Forbidden;

    /// <summary>True for a rejected request: 400 or 422 (other than a malformed id, which reads as not found).</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.BadRequest"/> or <see cref="ApiErrorKind.Validation"/>.</returns>
    public static bool IsValidationError(this Exception? exception) => exception.GetApiErrorKind() is ApiErrorKind.BadRequest or ApiErrorKind.Validation;

    /// <summary>True for a 5xx answer.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.ServerError"/>.</returns>
    public static bool IsServerError(this Exception? exception) => exception.GetApiErrorKind() == ApiErrorKind.ServerError;

    /// <summary>True when a success status came with a body that is not the documented document.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for <see cref="ApiErrorKind.InvalidResponse"/>.</returns>
    public static bool IsInvalidResponse(this Exception? exception) => exception.GetApiErrorKind() == ApiErrorKind.InvalidResponse;

    /// <summary>True when trying the same call again later may succeed (see <see cref="BillingImportsApiException.IsTransient"/>).</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>True for a transient API failure; false for anything else.</returns>
    public static bool IsTransientApiError(this Exception? exception) => exception.TryGetApiException(out var api) && api.IsTransient;

    /// <summary>How long the service asked to wait (<c>Retry-After</c>), when it said.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>The wait, or null.</returns>
    public static TimeSpan? GetRetryAfter(this Exception? exception) =>
        exception.TryGetApiException(out var api) ? api.RetryAfter : null;

    /// <summary>The ids the service reported as missing (JSON:API <c>meta.missing_ids</c>) over all errors.</summary>
    /// <param name="exception">Any exception.</param>
    /// <returns>The ids, without duplicates; empty when none.</returns>
    public static IReadOnlyList<string> GetMissingIds(this Exception? exception)
    {
        exception.TryGetApiErrors(out var errors);
        return [.. errors.SelectMany(error => error.MissingIds).Distinct(StringComparer.Ordinal)];
    }
}
