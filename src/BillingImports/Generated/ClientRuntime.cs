using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BillingImports;

/// <summary>
/// What the generated clients call (see <c>generator/templates/Client.Class.liquid</c>): URL pieces,
/// the request, the success read and the error. Kept here, in plain C#, so the template stays a
/// thin loop over the spec's operations and every rule below is tested once.
/// </summary>
internal static class ClientRuntime
{
    /// <summary>
    /// The largest success body read when the client is not behind the SDK's pipeline (which
    /// enforces its own, configurable cap while buffering). The documents are a few KB.
    /// </summary>
    internal const long DefaultMaxBodySize = BillingImportsClientOptions.DefaultMaxResponseBodySize;

    private const string JsonMediaType = "application/json";

    /// <summary>
    /// One path segment: the value escaped so that a <c>/</c>, <c>?</c> or <c>#</c> inside it stays
    /// inside the segment. An empty or white-space value, <c>.</c> and <c>..</c> are refused before
    /// anything is sent: the URI would collapse them into another resource's path (the parent
    /// collection, with the caller's credentials).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not name one resource.</exception>
    public static string PathSegment(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (string.IsNullOrWhiteSpace(value) || value is "." or "..")
        {
            throw new ArgumentException($"{parameterName} must name one resource; an empty or white-space value, \".\" and \"..\" would address another path.", parameterName);
        }

        return Uri.EscapeDataString(value);
    }

    /// <summary>A query value as the services read it: <c>true</c>/<c>false</c>.</summary>
    public static string QueryValue(bool value) => value ? "true" : "false";

    /// <summary>A query value in invariant digits.</summary>
    public static string QueryValue(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A query value in invariant digits.</summary>
    public static string QueryValue(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A query value, escaped.</summary>
    public static string QueryValue(string value) => Uri.EscapeDataString(value);

    /// <summary>A query value as ISO 8601 with its offset (round-trip format), escaped.</summary>
    public static string QueryValue(DateTimeOffset value) => Uri.EscapeDataString(value.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>A GET for <paramref name="relativeUrl"/> that asks for JSON.</summary>
    public static HttpRequestMessage CreateGetRequest(string relativeUrl)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relativeUrl, UriKind.Relative));

        // Unparsed: nothing in the pipeline reads Accept, so parsing it on every call would be waste.
        request.Headers.TryAddWithoutValidation("Accept", JsonMediaType);
        return request;
    }

    /// <summary>
    /// Reads a success body as <typeparamref name="T"/> through source-generated metadata. The body is
    /// buffered once, bounded (by the pipeline with its configured
    /// <see cref="BillingImportsClientOptions.MaxResponseBodySize"/>, or here with the default when
    /// the client runs over a plain <see cref="HttpClient"/>), parsed from memory, and turned into
    /// text only when it cannot be read, so the exception can show what came. Every failure is a
    /// <see cref="BillingImportsApiException"/>: <see cref="ApiErrorKind.InvalidResponse"/> for a body
    /// that is not the documented document or is too large, <see cref="ApiErrorKind.Network"/> for a
    /// connection that breaks mid-body.
    /// </summary>
    public static async ValueTask<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await ResponseBodyReader.EnsureSuccessBodyAsync(response, DefaultMaxBodySize, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        try
        {
            if (IsTranscodingNeeded(response.Content.Headers.ContentType?.CharSet))
            {
                // A body declared in another encoding is decoded as declared; the services send UTF-8,
                // so this path exists for correctness, not speed.
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return JsonSerializer.Deserialize(text, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
            }

            // Buffered, so the stream is over memory (the content's own cached one): read synchronously,
            // with no copy of the body and no task for the stream.
            var stream = response.Content.ReadAsStream(cancellationToken);
            if (stream.CanSeek)
            {
                stream.Position = 0;
            }

            return JsonSerializer.Deserialize(stream, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException exception)
        {
            throw Unreadable(response, status, await BodyTextAsync(response, cancellationToken).ConfigureAwait(false), exception);
        }
    }

    /// <summary>
    /// The exception for an answer that is not the documented success: the SDK's error reader for
    /// error statuses; an <see cref="ApiErrorKind.InvalidResponse"/> for a success status the spec
    /// does not document (a 204 where a document was promised, say).
    /// </summary>
    public static async ValueTask<BillingImportsApiException> CreateErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
            var facts = ResponseFacts.Of(response);
            return facts.ApplyTo(new BillingImportsApiException(prefix + ": the service answered with a status the API does not document for this call.", ApiErrorKind.InvalidResponse, status)
            {
                RequestId = facts.RequestId,
            });
        }

        return await ErrorResponseReader.CreateAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static BillingImportsApiException Unreadable(HttpResponseMessage response, int status, string body, JsonException exception)
    {
        // The JSON path says where reading stopped without quoting any value from the body.
        var where = exception.Path is { Length: > 1 } path ? " at " + path : string.Empty;
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        var facts = ResponseFacts.Of(response);
        return facts.ApplyTo(new BillingImportsApiException(
            ErrorText.Sentence(prefix, $"the response could not be read{where}: it is not the documented document"),
            ApiErrorKind.InvalidResponse,
            status,
            exception)
        {
            ResponseBody = body.Length == 0 ? null : BillingImportsApiException.Cap(body),
            RequestId = facts.RequestId,
        });
    }

    /// <summary>The body as text, for the exception; it is buffered, so this reads memory.</summary>
    private static async Task<string> BodyTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length <= BillingImportsApiException.MaxResponseBodyLength ? text : text[..BillingImportsApiException.MaxResponseBodyLength];
        }
        catch (Exception exception) when (exception is InvalidOperationException or DecoderFallbackException or IOException or HttpRequestException)
        {
            return string.Empty;
        }
    }

    private static bool IsTranscodingNeeded(string? charset)
    {
        var name = charset?.Trim('"', ' ');
        if (string.IsNullOrEmpty(name)
            || name.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return Encoding.GetEncoding(name).CodePage != Encoding.UTF8.CodePage;
        }
        catch (ArgumentException)
        {
            // An unknown charset ("utf-99") is far more often a typo for UTF-8 than anything else.
            return false;
        }
    }
}
