using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

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
    /// one that does not decode as its <c>Content-Encoding</c> says, fails with
    /// <see cref="BillingImportsApiException"/> (<see cref="ApiErrorKind.InvalidResponse"/>); a
    /// connection that breaks with <see cref="HttpRequestException"/> or <see cref="IOException"/>
    /// and a cancelled token with <see cref="OperationCanceledException"/>, for the retry handler to
    /// judge. A body already read is not read again.
    /// </summary>
    /// <remarks>
    /// Synchronous for as long as the body is already there, as a small body that came with the
    /// headers is: no state machine, pooled or not, and no asynchronous code to compile for an
    /// application's first call. Only a read that has to wait continues asynchronously.
    /// </remarks>
    public static ValueTask BufferSuccessBodyAsync(HttpResponseMessage response, long maxBytes, bool decode, CancellationToken cancellationToken)
    {
        var original = response.Content;
        if (original is BufferedBodyContent)
        {
            return default;
        }

        var coding = decode ? ContentCoding.Of(original) : ContentCoding.Coding.None;
        var declared = DeclaredLength(original);
        if (!ContentCoding.IsDecoded(coding) && declared > maxBytes)
        {
            return ValueTask.FromException(TooLarge(response, maxBytes));
        }

        var reading = new BodyReading(response, coding, maxBytes, declared);
        if (!IsConnectionContent(original))
        {
            return OpenAndReadAsync(reading, cancellationToken);
        }

        try
        {
            reading.Open(original.ReadAsStream(cancellationToken));
            if (!reading.TryReadToEnd(cancellationToken, out var pending))
            {
                return ReadRestAsync(reading, pending, cancellationToken);
            }

            reading.Finish();
            return default;
        }
        catch (Exception exception)
        {
            return ValueTask.FromException(reading.Fail(exception));
        }
    }

    /// <summary>A content that hands out its stream only asynchronously: opened, then read like any other.</summary>
    private static async ValueTask OpenAndReadAsync(BodyReading reading, CancellationToken cancellationToken)
    {
        try
        {
            reading.Open(await reading.Original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            while (!reading.TryReadToEnd(cancellationToken, out var pending))
            {
                reading.Advance(await pending.ConfigureAwait(false));
            }

            reading.Finish();
        }
        catch (Exception exception)
        {
            // Rethrown with its own stack trace when it passes through unchanged.
            ExceptionDispatchInfo.Throw(reading.Fail(exception));
        }
    }

    /// <summary>The rest of a body whose next read has to wait; pooled, as it runs whenever a body comes after its headers.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask ReadRestAsync(BodyReading reading, ValueTask<int> pending, CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                reading.Advance(await pending.ConfigureAwait(false));
            }
            while (!reading.TryReadToEnd(cancellationToken, out pending));

            reading.Finish();
        }
        catch (Exception exception)
        {
            ExceptionDispatchInfo.Throw(reading.Fail(exception));
        }
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
        if (ContentCoding.IsDecoded(coding))
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

    /// <summary>
    /// One body being read: the pooled buffer, how much of it is filled, the stream (decoding, when
    /// the answer is compressed). A struct, handed by value to the asynchronous continuation when a
    /// read has to wait, so a body read whole at once allocates nothing for its own bookkeeping.
    /// </summary>
    private struct BodyReading
    {
        private readonly HttpResponseMessage _response;
        private readonly ContentCoding.Coding _coding;
        private readonly long _maxBytes;

        /// <summary>One byte past the cap, to tell a body at the cap from one above it.</summary>
        private readonly int _limit;

        private byte[] _buffer;
        private Stream? _source;
        private int _read;
        private bool _ended;

        public BodyReading(HttpResponseMessage response, ContentCoding.Coding coding, long maxBytes, long? declared)
        {
            _response = response;
            Original = response.Content;
            _coding = coding;
            _maxBytes = maxBytes;
            _limit = (int)Math.Min(maxBytes + 1, Array.MaxLength);
            _buffer = ArrayPool<byte>.Shared.Rent(!ContentCoding.IsDecoded(coding) && declared is { } length ? (int)Math.Min(length + 1, _limit) : Math.Min(UnknownLengthBuffer, _limit));
        }

        public HttpContent Original { get; }

        // Decode is called only for a compressed body: compiling it loads the compression assembly.
        public void Open(Stream stream) => _source = ContentCoding.IsDecoded(_coding) ? ContentCoding.Decode(_coding, stream) : stream;

        /// <summary>
        /// Reads for as long as reads complete at once: true when the body ended or filled the buffer
        /// up to the limit, false with the read that has to wait in <paramref name="pending"/>.
        /// </summary>
        public bool TryReadToEnd(CancellationToken cancellationToken, out ValueTask<int> pending)
        {
            pending = default;
            while (!_ended)
            {
                if (_read == _buffer.Length)
                {
                    if (_read >= _limit)
                    {
                        return true;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _limit));
                    _buffer.AsSpan(0, _read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }

                pending = _source!.ReadAsync(_buffer.AsMemory(_read, Math.Min(_buffer.Length, _limit) - _read), cancellationToken);
                if (!pending.IsCompleted)
                {
                    return false;
                }

                Advance(pending.GetAwaiter().GetResult());
            }

            return true;
        }

        public void Advance(int count)
        {
            if (count == 0)
            {
                _ended = true;
            }
            else
            {
                _read += count;
            }
        }

        /// <summary>Puts the body in place of the content, or throws when it is larger than the cap.</summary>
        public void Finish()
        {
            if (!_ended || _read > _maxBytes)
            {
                throw TooLarge(_response, _maxBytes);
            }

            CloseDecoder();
            _response.Content = BufferedBodyContent.FromPool(_buffer, _read, Original, ContentCoding.IsDecoded(_coding));
            Original.Dispose();
        }

        /// <summary>Gives the buffer back and returns the exception to throw for <paramref name="exception"/>.</summary>
        public Exception Fail(Exception exception)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            CloseDecoder();

            // The decompressor's verdict on a body that is not what its Content-Encoding says (gzip
            // and deflate throw the first, brotli the second); retrying would fetch the same bytes.
            return exception is InvalidDataException or InvalidOperationException ? Undecodable(_response, exception) : exception;
        }

        private readonly void CloseDecoder()
        {
            if (ContentCoding.IsDecoded(_coding))
            {
                // The decoder holds native memory; the stream under it closes with the content.
                _source?.Dispose();
            }
        }
    }

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
