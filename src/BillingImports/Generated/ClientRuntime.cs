using System.Buffers;
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
    internal const int DefaultMaxBodySize = 4 * 1024 * 1024;

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
    /// Reads a success body as <typeparamref name="T"/> through source-generated metadata. The bytes
    /// are read once (bounded), parsed from memory, and kept only when they cannot be read, so the
    /// exception can show what came. Every failure is a <see cref="BillingImportsApiException"/>:
    /// <see cref="ApiErrorKind.InvalidResponse"/> for a body that is not the documented document (or
    /// too large), <see cref="ApiErrorKind.Network"/> for a connection that breaks mid-body,
    /// <see cref="ApiErrorKind.Timeout"/> for a read cut short by a timeout.
    /// </summary>
    public static async ValueTask<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var charset = response.Content.Headers.ContentType?.CharSet;
        if (IsTranscodingNeeded(charset, out var encoding))
        {
            // A body declared in another encoding is decoded as declared; the services send UTF-8,
            // so this path exists for correctness, not speed.
            var (text, bytesRead) = await ReadBodyAsync(response, status, cancellationToken).ConfigureAwait(false);
            try
            {
                return Parse(encoding.GetString(text.AsSpan(0, bytesRead)), typeInfo, response, status);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(text);
            }
        }

        var (buffer, length) = await ReadBodyAsync(response, status, cancellationToken).ConfigureAwait(false);
        try
        {
            return Parse(buffer.AsSpan(0, length), typeInfo, response, status);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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

    private static T Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo, HttpResponseMessage response, int status)
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException exception)
        {
            throw Unreadable(response, status, Encoding.UTF8.GetString(body[..Math.Min(body.Length, BillingImportsApiException.MaxResponseBodyLength)]), exception);
        }
    }

    private static T Parse<T>(string body, JsonTypeInfo<T> typeInfo, HttpResponseMessage response, int status)
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException exception)
        {
            throw Unreadable(response, status, body, exception);
        }
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

    /// <summary>
    /// Reads the whole body into a pooled buffer, at most <see cref="DefaultMaxBodySize"/> bytes
    /// (a larger declared length is refused before reading). The caller returns the buffer.
    /// </summary>
    private static async ValueTask<(byte[] Buffer, int Length)> ReadBodyAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
    {
        var declared = response.Content.Headers.ContentLength;
        if (declared > DefaultMaxBodySize)
        {
            throw TooLarge(response, status);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(declared is > 0 and var size ? (int)size + 1 : 4096);
        var length = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length > DefaultMaxBodySize)
                        {
                            throw TooLarge(response, status);
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, DefaultMaxBodySize + 1));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    // Never past the first byte beyond the cap: a pooled array can be twice the size asked for.
                    var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, DefaultMaxBodySize + 1) - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                    if (length > DefaultMaxBodySize)
                    {
                        throw TooLarge(response, status);
                    }
                }
            }

            return (buffer, length);
        }
        catch (Exception exception) when (exception is not BillingImportsApiException && !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw BodyReadFailure(response, status, exception);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static BillingImportsApiException BodyReadFailure(HttpResponseMessage response, int status, Exception exception)
    {
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        return exception switch
        {
            OperationCanceledException => new BillingImportsApiException(prefix + ": reading the body timed out.", ApiErrorKind.Timeout, status, exception),
            IOException or HttpRequestException or ObjectDisposedException => new BillingImportsApiException(prefix + ": the connection failed while the body was being read.", ApiErrorKind.Network, status, exception),
            _ => new BillingImportsApiException(prefix + ": the body could not be read.", ApiErrorKind.InvalidResponse, status, exception),
        };
    }

    private static BillingImportsApiException TooLarge(HttpResponseMessage response, int status)
    {
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        var facts = ResponseFacts.Of(response);
        return facts.ApplyTo(new BillingImportsApiException(
            string.Create(CultureInfo.InvariantCulture, $"{prefix}: the body is larger than {DefaultMaxBodySize} bytes, far more than the documented document; it was not read."),
            ApiErrorKind.InvalidResponse,
            status)
        {
            RequestId = facts.RequestId,
        });
    }

    private static bool IsTranscodingNeeded(string? charset, out Encoding encoding)
    {
        encoding = Encoding.UTF8;
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
            encoding = Encoding.GetEncoding(name);
            return encoding.CodePage != Encoding.UTF8.CodePage;
        }
        catch (ArgumentException)
        {
            // An unknown charset ("utf-99") is far more often a typo for UTF-8 than anything else.
            return false;
        }
    }
}
