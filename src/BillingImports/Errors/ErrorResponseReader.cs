using System.Text;

namespace BillingImports;

/// <summary>
/// Turns a non-success HTTP response into a <see cref="BillingImportsApiException"/>. The generated
/// clients call it (through <c>ClientRuntime.CreateErrorAsync</c>) for every answer that is not the
/// documented success, whatever the body: the services do not always send their documented error schema.
/// </summary>
/// <remarks>
/// Never throws anything but the typed exception (or <see cref="OperationCanceledException"/> when
/// the caller cancels): a body that cannot be read, decoded or parsed costs the parsed details, never
/// the HTTP error itself.
/// </remarks>
internal static class ErrorResponseReader
{
    /// <summary>How long reading an error body may take once the headers are in; the status is known by then.</summary>
    internal static readonly TimeSpan BodyReadTimeout = TimeSpan.FromSeconds(10);

    public static Task<BillingImportsApiException> CreateAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        CreateAsync(response, TimeProvider.System, cancellationToken);

    public static async Task<BillingImportsApiException> CreateAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);

        var status = (int)response.StatusCode;
        var (body, readFailure) = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);

        // The client's own secrets, echoed anywhere in the body ("API key X is not valid"), go before
        // anything is taken from it; once more after parsing, for a value the JSON escaped.
        var secrets = SecretScrubber.Of(response);
        if (secrets is not null && body is not null)
        {
            body = body.Length >= BillingImportsApiException.MaxResponseBodyLength ? secrets.ScrubTruncated(body) : secrets.Scrub(body);
        }

        var parsed = ErrorBodyParser.Parse(body, response.Content.Headers.ContentType?.MediaType);
        if (secrets is not null)
        {
            parsed = parsed with
            {
                Errors = [.. parsed.Errors.Select(secrets.Scrub)],
                Summary = secrets.ScrubOrNull(parsed.Summary),
                RequestId = secrets.ScrubOrNull(parsed.RequestId),
            };
            readFailure = readFailure is null ? null : secrets.Sanitize(readFailure);
        }

        var reason = ErrorText.ReasonPhrase(status, response.ReasonPhrase);
        if (secrets is not null && reason is not null)
        {
            // A server's own reason phrase is cut to a few words, perhaps in the middle of a key.
            reason = secrets.ScrubTruncated(reason);
        }

        var facts = ResponseFacts.Of(response);
        var exception = new BillingImportsApiException(ErrorText.Compose(status, reason, parsed), Classify(status, parsed), status, readFailure)
        {
            ResponseBody = string.IsNullOrEmpty(body) ? null : body,
            RequestId = facts.RequestId ?? ApiErrorKindFacts.CleanRequestId(parsed.RequestId),
            RetryAfter = RetryAfterParser.FromResponse(response, time),
            Errors = parsed.Errors,
            Secrets = secrets,
        };

        return facts.ApplyTo(exception);
    }

    /// <summary>
    /// The kind callers switch on. The HTTP status decides, not the status a body states (they can
    /// disagree); one exception: a 400 or 422 that says the id is malformed reads as
    /// <see cref="ApiErrorKind.NotFound"/>, because no resource can have that id.
    /// </summary>
    internal static ApiErrorKind Classify(int status, ParsedErrorBody parsed)
    {
        var kind = ApiErrorKindFacts.FromStatus(status);
        if (status is 400 or 422 && ApiErrorKindFacts.SaysInvalidId(parsed))
        {
            return ApiErrorKind.NotFound;
        }

        return kind;
    }

    /// <summary>
    /// Reads at most <see cref="BillingImportsApiException.MaxResponseBodyLength"/> characters, so a
    /// huge or endless body neither fills memory nor blocks: the rest is left unread and dropped with
    /// the response.
    /// </summary>
    private static async Task<(string? Body, Exception? Failure)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // Real time on purpose: this bounds network I/O, not a wait the caller schedules on a TimeProvider.
        timeout.CancelAfter(BodyReadTimeout);
        try
        {
            var stream = await content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, EncodingOf(content), detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: false);
            var buffer = new char[BillingImportsApiException.MaxResponseBodyLength];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(length), timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return (new string(buffer, 0, length), null);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new TimeoutException("Reading the error body took too long.", exception));
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or DecoderFallbackException or ObjectDisposedException or InvalidOperationException or InvalidDataException)
        {
            // The connection broke, the body does not decompress, or the content was already
            // consumed; the status alone still says what happened.
            return (null, exception);
        }
    }

    private static Encoding EncodingOf(HttpContent content) =>
        TryGetEncoding(content.Headers.ContentType?.CharSet, out var encoding) ? encoding : Encoding.UTF8;

    private static bool TryGetEncoding(string? charset, out Encoding encoding)
    {
        encoding = Encoding.UTF8;
        var name = charset?.Trim('"', ' ');
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        try
        {
            encoding = Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            // An unknown charset ("utf-99") is far more often a typo for UTF-8 than anything else.
            return false;
        }
    }
}

/// <summary>
/// What every exception about a response carries besides its message: the response headers (credential
/// and cookie headers redacted) and the service's request id.
/// </summary>
internal readonly record struct ResponseFacts(Dictionary<string, IEnumerable<string>> Headers, string? RequestId)
{
    public static ResponseFacts Of(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        ErrorText.CopyHeaders(response.Headers, headers);
        ErrorText.CopyHeaders(response.Content.Headers, headers);
        return new ResponseFacts(headers, ApiErrorKindFacts.CleanRequestId(ApiErrorKindFacts.FindRequestId(headers)));
    }

    /// <summary>Copies the headers onto the exception and returns it.</summary>
    public BillingImportsApiException ApplyTo(BillingImportsApiException exception)
    {
        foreach (var header in Headers)
        {
            exception.ResponseHeaders[header.Key] = header.Value;
        }

        return exception;
    }
}
