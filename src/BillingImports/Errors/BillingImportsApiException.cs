using System.Globalization;
using System.Text.Json;
using Microsoft.Kiota.Abstractions;

namespace BillingImports;

/// <summary>
/// The one exception family the SDK throws for a failed call: an HTTP error, a body that cannot be
/// read, a timeout or a network failure. Switch on <see cref="Kind"/>, or use <see cref="IsTransient"/>
/// to decide whether trying again can help; <see cref="ApiErrorExtensions"/> has the common questions
/// (<c>IsNotFound()</c>, <c>IsRateLimited()</c>, ...) for any exception.
/// </summary>
/// <remarks>
/// The message is one readable sentence built from the status and the parsed error, at most 300
/// characters; it never holds a response body wholesale, a header value or a credential, and neither
/// does <see cref="ToString"/>. The raw body is on <see cref="ResponseBody"/>, capped at
/// <see cref="MaxResponseBodyLength"/> characters; the response headers are on
/// <see cref="ApiException.ResponseHeaders"/>, with cookie and credential headers redacted.
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

        // Header names are case-insensitive in HTTP; Kiota's default dictionary is not.
        ResponseHeaders = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>What went wrong.</summary>
    public ApiErrorKind Kind { get; }

    /// <summary>The HTTP status code, or 0 when there was no HTTP answer.</summary>
    public int StatusCode => ResponseStatusCode;

    /// <summary>
    /// The service's request id (<c>X-Request-Id</c> and similar headers, else a <c>request_id</c> in
    /// the error body), when sent. Quote it to the service's support.
    /// </summary>
    public string? RequestId { get; init; }

    /// <summary>
    /// How long the service asked to wait before retrying (<c>Retry-After</c>, as delta-seconds or an
    /// HTTP date, which is measured from the response's <c>Date</c> header when present), when sent.
    /// A date in the past reads as <see cref="TimeSpan.Zero"/>.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The response body as received, capped at <see cref="MaxResponseBodyLength"/> characters; null
    /// when there was none. Raw text from the server: show it to developers, not to end users.
    /// </summary>
    public string? ResponseBody { get; init; }

    /// <summary>The errors parsed from the body; empty when the body held none or was not JSON.</summary>
    public IReadOnlyList<ApiError> Errors { get; init; } = [];

    /// <summary>The secrets of the client that made the call, kept out of <see cref="ToString"/> whatever the inner exceptions say.</summary>
    internal SecretScrubber? Secrets { get; init; }

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

    /// <summary>
    /// The message, the kind, the status and the request id, then the inner exception and the stack
    /// trace; never the body or another header value.
    /// </summary>
    /// <returns>A description fit for logs.</returns>
    public override string ToString()
    {
        var facts = string.Create(
            CultureInfo.InvariantCulture,
            $"Kind: {Kind}, HTTP status: {StatusCode}{(RequestId is null ? string.Empty : ", request id: " + RequestId)}, errors: {Errors.Count}");
        var text = base.ToString() + Environment.NewLine + facts;
        return Secrets?.Scrub(text) ?? text;
    }

    internal static string? Cap(string? body) =>
        body is null || body.Length <= MaxResponseBodyLength ? body : body[..MaxResponseBodyLength];
}
