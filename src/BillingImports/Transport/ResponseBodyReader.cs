using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace BillingImports;

/// <summary>
/// Reads success bodies whole, with a size cap, for the pipeline and for the generated clients' read
/// path. The body goes into a buffer rented from the shared pool (sized from <c>Content-Length</c>
/// when there is one) and replaces the response's content as a <see cref="BufferedBodyContent"/>,
/// which the generated clients deserialize from directly. The cap applies to the decoded bytes as
/// they stream, so a gzip body that inflates a thousandfold stops at the cap, and a declared length
/// above the cap stops before any byte is read.
/// </summary>
internal static class ResponseBodyReader
{
    /// <summary>The first buffer for a body of unknown decoded length; it doubles as needed, up to the cap.</summary>
    private const int UnknownLengthBuffer = 16 * 1024;

    /// <summary>
    /// Reads a success body into a pooled buffer and puts it in place of the response's content,
    /// decoding it first when <paramref name="decode"/> is set and the answer says
    /// <c>Content-Encoding</c> (gzip, deflate or brotli). A body above <paramref name="maxBytes"/>, or
    /// one that does not decode as its <c>Content-Encoding</c> says, throws
    /// <see cref="BillingImportsApiException"/> (<see cref="ApiErrorKind.InvalidResponse"/>); a
    /// connection that breaks throws <see cref="HttpRequestException"/> or <see cref="IOException"/>
    /// and a cancelled token <see cref="OperationCanceledException"/>, for the retry handler to judge.
    /// A body already read is not read again.
    /// </summary>
    /// <remarks>Pooled: the pipeline awaits this on every call, and it completes synchronously only when the body came with the headers.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public static async ValueTask BufferSuccessBodyAsync(HttpResponseMessage response, long maxBytes, bool decode, CancellationToken cancellationToken)
    {
        var original = response.Content;
        if (original is BufferedBodyContent)
        {
            return;
        }

        var coding = decode ? ContentCoding.Of(original) : ContentCoding.Coding.None;
        var decoded = coding is ContentCoding.Coding.GZip or ContentCoding.Coding.Deflate or ContentCoding.Coding.Brotli;
        var declared = DeclaredLength(original);
        if (!decoded && declared > maxBytes)
        {
            throw TooLarge(response, maxBytes);
        }

        // One byte past the cap tells a body at the cap from one above it.
        var limit = (int)Math.Min(maxBytes + 1, Array.MaxLength);
        var buffer = ArrayPool<byte>.Shared.Rent(!decoded && declared is { } length ? (int)Math.Min(length + 1, limit) : Math.Min(UnknownLengthBuffer, limit));
        var read = 0;
        var complete = false;
        Stream? source = null;
        try
        {
            var stream = IsConnectionContent(original) ? original.ReadAsStream(cancellationToken) : await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            source = decoded ? ContentCoding.Decode(coding, stream) : stream;
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (read >= limit)
                    {
                        break;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var count = await source.ReadAsync(buffer.AsMemory(read, Math.Min(buffer.Length, limit) - read), cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    complete = true;
                    break;
                }

                read += count;
            }

            if (!complete || read > maxBytes)
            {
                throw TooLarge(response, maxBytes);
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or InvalidOperationException)
        {
            ArrayPool<byte>.Shared.Return(buffer);

            // The decompressor's verdict on a body that is not what its Content-Encoding says (gzip
            // and deflate throw the first, brotli the second); retrying would fetch the same bytes.
            throw Undecodable(response, exception);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (decoded)
            {
                // The decoder holds native memory; the stream under it closes with the content.
                source?.Dispose();
            }
        }

        response.Content = BufferedBodyContent.FromPool(buffer, read, original, decoded);
        original.Dispose();
    }

    /// <summary>
    /// Buffers a success body with a cap, for code outside the pipeline (a generated client over a
    /// plain HttpClient), as it came (the SDK's pipeline is what asks for compressed bodies): too
    /// large is <see cref="ApiErrorKind.InvalidResponse"/>, a broken connection
    /// <see cref="ApiErrorKind.Network"/>, both as <see cref="BillingImportsApiException"/>. A body
    /// the SDK's pipeline already buffered is not read again.
    /// </summary>
    public static async ValueTask EnsureSuccessBodyAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            await BufferSuccessBodyAsync(response, maxBytes, decode: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            var status = (int)response.StatusCode;
            var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
            throw new BillingImportsApiException(prefix + ": the connection failed while the body was being read.", ApiErrorKind.Network, status, exception);
        }
    }

    /// <summary>
    /// Puts a decoding view in place of an error body the answer says is compressed, for the error
    /// reader, which reads only its start. Nothing is read here.
    /// </summary>
    public static void DecodeErrorBody(HttpResponseMessage response)
    {
        var coding = ContentCoding.Of(response.Content);
        if (coding is ContentCoding.Coding.GZip or ContentCoding.Coding.Deflate or ContentCoding.Coding.Brotli)
        {
            response.Content = new ContentCoding.DecodingContent(response.Content, coding);
        }
    }

    /// <summary>
    /// Whether the content is SocketsHttpHandler's, which hands out its connection's stream
    /// synchronously: asking for it asynchronously would wrap it in a task on every call. Another
    /// content (a test's, or a custom handler's) may block or throw when read synchronously.
    /// </summary>
    private static bool IsConnectionContent(HttpContent content) =>
        content.GetType().FullName == "System.Net.Http.HttpConnectionResponseContent";

    /// <summary><c>Content-Length</c>, read raw: parsing it through the typed header would allocate on every call.</summary>
    private static long? DeclaredLength(HttpContent content)
    {
        if (content.Headers.NonValidated.TryGetValues("Content-Length", out var values))
        {
            return values.Count == 1 && long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        }

        // Not sent: a content that knows its own length (an in-memory one) says it here.
        return content.Headers.ContentLength;
    }

    private static BillingImportsApiException Undecodable(HttpResponseMessage response, Exception exception)
    {
        var status = (int)response.StatusCode;
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        return new BillingImportsApiException(prefix + ": the body could not be decoded (its Content-Encoding does not match its bytes).", ApiErrorKind.InvalidResponse, status, exception);
    }

    private static BillingImportsApiException TooLarge(HttpResponseMessage response, long maxBytes)
    {
        var status = (int)response.StatusCode;
        var prefix = ErrorText.StatusLine(status, ErrorText.ReasonPhrase(status, response.ReasonPhrase));
        var message = string.Create(CultureInfo.InvariantCulture, $"{prefix}: the body is larger than the {maxBytes}-byte limit (MaxResponseBodySize).");
        return new BillingImportsApiException(message, ApiErrorKind.InvalidResponse, status);
    }
}
