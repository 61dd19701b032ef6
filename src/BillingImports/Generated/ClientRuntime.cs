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

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

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
    /// read whole once, bounded (by the pipeline with its configured
    /// <see cref="BillingImportsClientOptions.MaxResponseBodySize"/>, or here with the default when
    /// the client runs over a plain <see cref="HttpClient"/>), parsed from memory, and turned into
    /// text only when it cannot be read, so the exception can show what came. Every failure is a
    /// <see cref="BillingImportsApiException"/>: <see cref="ApiErrorKind.InvalidResponse"/> for a body
    /// that is not the documented document or is too large, <see cref="ApiErrorKind.Network"/> for a
    /// connection that breaks mid-body.
    /// </summary>
    /// <remarks>
    /// Behind the SDK's pipeline the body is already in memory: it is deserialized from there, and
    /// the call completes without another asynchronous step.
    /// </remarks>
    public static ValueTask<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        if (response.Content is BufferedBodyContent body && !IsTranscodingNeeded(response.Content))
        {
            try
            {
                return ValueTask.FromResult(Deserialize(body.Body, typeInfo));
            }
            catch (JsonException exception)
            {
                return UnreadableAsync<T>(response, exception, cancellationToken);
            }
        }

        return ReadBufferedJsonAsync(response, typeInfo, cancellationToken);
    }

    private static async ValueTask<T> ReadBufferedJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await ResponseBodyReader.EnsureSuccessBodyAsync(response, DefaultMaxBodySize, cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsTranscodingNeeded(response.Content))
            {
                // A body declared in another encoding is decoded as declared; the services send UTF-8,
                // so this path exists for correctness, not speed.
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return JsonSerializer.Deserialize(text, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
            }

            return Deserialize(((BufferedBodyContent)response.Content).Body, typeInfo);
        }
        catch (JsonException exception)
        {
            return await UnreadableAsync<T>(response, exception, cancellationToken).ConfigureAwait(false);
        }
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
    {
        // A UTF-8 byte order mark is allowed before JSON text; reading from a stream skips it, reading from bytes does not.
        if (body.StartsWith(Utf8ByteOrderMark))
        {
            body = body[Utf8ByteOrderMark.Length..];
        }

        return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
    }

    private static async ValueTask<T> UnreadableAsync<T>(HttpResponseMessage response, JsonException exception, CancellationToken cancellationToken) =>
        throw Unreadable(response, (int)response.StatusCode, await BodyTextAsync(response, cancellationToken).ConfigureAwait(false), exception);

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

    /// <summary>
    /// Whether the body is declared in an encoding other than UTF-8 (or its ASCII subset). The
    /// <c>Content-Type</c> is read raw: the common answers (no charset, or UTF-8) are told apart
    /// without parsing the header, which would allocate on every call.
    /// </summary>
    private static bool IsTranscodingNeeded(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Type", out var values))
        {
            return false;
        }

        var raw = values.Count == 1 ? values.ToString() : null;
        var at = raw?.IndexOf("charset", StringComparison.OrdinalIgnoreCase) ?? 0;
        if (at < 0)
        {
            return false;
        }

        // One parameter named charset, naming UTF-8: what the parsed header would say too.
        if (raw is not null && at > 0 && raw[at - 1] is ';' or ' ' or '\t'
            && raw.LastIndexOf("charset", StringComparison.OrdinalIgnoreCase) == at
            && IsUtf8Name(CharsetValue(raw.AsSpan(at + "charset".Length))))
        {
            return false;
        }

        // Anything else is judged on the parsed header.
        return IsTranscodingNeeded(content.Headers.ContentType?.CharSet);
    }

    /// <summary>The value after <c>charset</c>: from the <c>=</c> to the next <c>;</c>, without quotes or spaces; empty when there is no <c>=</c>.</summary>
    private static ReadOnlySpan<char> CharsetValue(ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart(' ');
        if (rest.IsEmpty || rest[0] != '=')
        {
            return [];
        }

        rest = rest[1..];
        var end = rest.IndexOf(';');
        return (end < 0 ? rest : rest[..end]).Trim(" \"\t");
    }

    private static bool IsUtf8Name(ReadOnlySpan<char> name) =>
        name.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
        || name.Equals("utf8", StringComparison.OrdinalIgnoreCase)
        || name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase);

    private static bool IsTranscodingNeeded(string? charset)
    {
        var name = charset?.Trim('"', ' ');
        if (string.IsNullOrEmpty(name) || IsUtf8Name(name))
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
