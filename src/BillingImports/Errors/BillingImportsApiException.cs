using System.Globalization;
using Microsoft.Kiota.Abstractions;

namespace BillingImports;

/// <summary>
/// The one exception family the SDK throws for a failed call: an HTTP error, a body that cannot be
/// read, a timeout or a network failure. Switch on <see cref="Kind"/>, or use <see cref="IsTransient"/>
/// to decide whether trying again can help.
/// </summary>
/// <remarks>
/// The message is one readable sentence built from the status and the parsed error; it never holds a
/// response body wholesale, a header value or a credential. The raw body is on <see cref="ResponseBody"/>,
/// capped at <see cref="MaxResponseBodyLength"/> characters.
/// </remarks>
public class BillingImportsApiException : ApiException
{
    /// <summary>The most characters of a response body kept on <see cref="ResponseBody"/>.</summary>
    public const int MaxResponseBodyLength = 16 * 1024;

    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="message">One readable sentence; must not contain secrets.</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="statusCode">The HTTP status, or 0 when there was no HTTP answer.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public BillingImportsApiException(string message, ApiErrorKind kind, int statusCode = 0, Exception? innerException = null)
        : base(message, innerException!)
    {
        Kind = kind;
        ResponseStatusCode = statusCode;
    }

    /// <summary>
    /// The constructor the generated clients call when a success response cannot be read as the
    /// documented type (the body is malformed, truncated or <c>null</c>).
    /// </summary>
    internal BillingImportsApiException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers,
        Exception? innerException)
        : this(DescribeGeneratedFailure(message, statusCode), statusCode is >= 200 and < 300 ? ApiErrorKind.InvalidResponse : ApiErrorKindFacts.FromStatus(statusCode), statusCode, innerException)
    {
        ResponseBody = Cap(response);
        foreach (var header in headers)
        {
            ResponseHeaders[header.Key] = header.Value;
        }

        RequestId = ApiErrorKindFacts.FindRequestId(ResponseHeaders);
    }

    /// <summary>What went wrong.</summary>
    public ApiErrorKind Kind { get; }

    /// <summary>The HTTP status code, or 0 when there was no HTTP answer.</summary>
    public int StatusCode => ResponseStatusCode;

    /// <summary>The service's request id (<c>X-Request-Id</c> and similar headers), when sent.</summary>
    public string? RequestId { get; init; }

    /// <summary>How long the service asked to wait before retrying (<c>Retry-After</c>), when sent.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The response body as received, capped at <see cref="MaxResponseBodyLength"/> characters; null when there was none.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The errors parsed from the body; empty when the body held none or was not JSON.</summary>
    public IReadOnlyList<ApiError> Errors { get; init; } = [];

    /// <summary>
    /// True when the same call may succeed later: rate limiting, 500/502/503/504, timeouts and
    /// network failures.
    /// </summary>
    public bool IsTransient => Kind switch
    {
        ApiErrorKind.RateLimited or ApiErrorKind.Timeout or ApiErrorKind.Network => true,
        ApiErrorKind.ServerError => StatusCode is 500 or 502 or 503 or 504 or 0,
        _ => false,
    };

    internal static string? Cap(string? body) =>
        body is null || body.Length <= MaxResponseBodyLength ? body : body[..MaxResponseBodyLength];

    private static string DescribeGeneratedFailure(string generatedMessage, int statusCode)
    {
        // NSwag's messages name the .NET type ("...as BillingImports.DataSource."); keep that part and
        // drop nothing secret, because the generated message never includes the body.
        var status = statusCode.ToString(CultureInfo.InvariantCulture);
        return $"HTTP {status}: the response could not be read. {generatedMessage}";
    }
}

/// <summary>
/// Used only by the generated clients, for error statuses they would read themselves; the SDK's
/// response hook throws first, so this type is not thrown in practice.
/// </summary>
/// <typeparam name="TResult">The documented error body type.</typeparam>
internal sealed class BillingImportsApiException<TResult> : BillingImportsApiException
{
    internal BillingImportsApiException(
        string message,
        int statusCode,
        string? response,
        IReadOnlyDictionary<string, IEnumerable<string>> headers,
        TResult result,
        Exception? innerException)
        : base(message, statusCode, response, headers, innerException)
    {
        Result = result;
    }

    public TResult Result { get; }
}
