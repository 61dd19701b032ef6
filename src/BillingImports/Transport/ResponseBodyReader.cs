using System.Globalization;

namespace BillingImports;

/// <summary>
/// Reads success bodies with a size cap, for the pipeline and for the generated clients' read path.
/// The body is buffered in the response's own content (HttpContent's pooled, right-sized buffer:
/// exact when <c>Content-Length</c> is known, no copy when it is later read as a string or a
/// stream), and the cap applies to the decoded bytes as they stream, so a gzip body that inflates a
/// thousandfold stops at the cap, and a declared length above the cap stops before any byte is read.
/// </summary>
internal static class ResponseBodyReader
{
    /// <summary>
    /// Buffers a success body. A body above <paramref name="maxBytes"/>, or one that does not decode
    /// as its <c>Content-Encoding</c> says, throws <see cref="BillingImportsApiException"/>
    /// (<see cref="ApiErrorKind.InvalidResponse"/>); a connection that breaks throws
    /// <see cref="HttpRequestException"/> and a cancelled token <see cref="OperationCanceledException"/>,
    /// for the retry handler to judge.
    /// </summary>
    public static async Task BufferSuccessBodyAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (exception.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw TooLarge(response, maxBytes, exception);
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            // The decompressor's verdict on a body that is not what its Content-Encoding says (gzip
            // and deflate throw the first, brotli the second); retrying would fetch the same bytes.
            throw Undecodable(response, exception);
        }
    }

    /// <summary>
    /// The success body as a stream over the buffered bytes, read with a cap; every failure but the
    /// caller's cancellation is a <see cref="BillingImportsApiException"/> (see
    /// <see cref="EnsureSuccessBodyAsync"/>). For generated code that deserializes from a stream.
    /// </summary>
    public static async Task<Stream> ReadSuccessBodyAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        await EnsureSuccessBodyAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Buffers a success body with a cap, for code outside the pipeline (a generated client over a
    /// plain HttpClient): too large is <see cref="ApiErrorKind.InvalidResponse"/>, a broken
    /// connection <see cref="ApiErrorKind.Network"/>, both as <see cref="BillingImportsApiException"/>.
    /// A body the SDK's pipeline already buffered is not read again.
    /// </summary>
    public static async Task EnsureSuccessBodyAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await BufferSuccessBodyAsync(response, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            var status = (int)response.StatusCode;
            var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
            throw new BillingImportsApiException(prefix + ": the connection failed while the body was being read.", ApiErrorKind.Network, status, exception);
        }
    }

    private static BillingImportsApiException Undecodable(HttpResponseMessage response, Exception exception)
    {
        var status = (int)response.StatusCode;
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        return new BillingImportsApiException(prefix + ": the body could not be decoded (its Content-Encoding does not match its bytes).", ApiErrorKind.InvalidResponse, status, exception);
    }

    private static BillingImportsApiException TooLarge(HttpResponseMessage response, long maxBytes, Exception exception)
    {
        var status = (int)response.StatusCode;
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        var message = string.Create(CultureInfo.InvariantCulture, $"{prefix}: the body is larger than the {maxBytes}-byte limit (MaxResponseBodySize).");
        return new BillingImportsApiException(message, ApiErrorKind.InvalidResponse, status, exception);
    }
}
