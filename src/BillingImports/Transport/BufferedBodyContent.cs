using System.Buffers;
using System.Net;

namespace BillingImports;

/// <summary>
/// A success body read whole (and decoded) by <see cref="ResponseBodyReader"/>, in a buffer rented
/// from <see cref="ArrayPool{T}.Shared"/> and given back when the response is disposed. The
/// generated clients deserialize straight from <see cref="Body"/>; anything else reads it as any
/// other content (a stream over the buffer, a copy, text). The original content's headers are
/// kept, except <c>Content-Encoding</c> and <c>Content-Length</c> when the body was decoded (as
/// the platform's own decompression does).
/// </summary>
internal sealed class BufferedBodyContent : HttpContent
{
    private byte[]? _buffer;
    private readonly int _length;
    private readonly bool _pooled;

    private BufferedBodyContent(byte[] buffer, int length, bool pooled)
    {
        _buffer = buffer;
        _length = length;
        _pooled = pooled;
    }

    /// <summary>The body; valid until the content (or its response) is disposed.</summary>
    public ReadOnlySpan<byte> Body => Buffer().AsSpan(0, _length);

    /// <summary>Takes ownership of <paramref name="rented"/> (a buffer from the shared pool) and copies the headers of <paramref name="original"/>.</summary>
    public static BufferedBodyContent FromPool(byte[] rented, int length, HttpContent original, bool decoded) =>
        new BufferedBodyContent(rented, length, pooled: true).WithHeadersOf(original, dropEncoding: decoded, dropLength: decoded);

    /// <summary>A body in an array of its own (not pooled), with the headers of <paramref name="original"/> but its length.</summary>
    public static BufferedBodyContent FromArray(byte[] body, HttpContent original) =>
        new BufferedBodyContent(body, body.Length, pooled: false).WithHeadersOf(original, dropEncoding: false, dropLength: true);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(Buffer(), 0, _length);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(Buffer().AsMemory(0, _length), cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.Write(Buffer(), 0, _length);

    // Not writable and not exposed: a reader cannot reach the pooled array through the stream.
    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
        new MemoryStream(Buffer(), 0, _length, writable: false, publiclyVisible: false);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(CreateContentReadStream(CancellationToken.None));

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // HttpContent disposes the stream it handed out first, so no reader is left on the buffer.
        base.Dispose(disposing);
        if (disposing && Interlocked.Exchange(ref _buffer, null) is { } buffer && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Buffer() => _buffer ?? throw new ObjectDisposedException(nameof(BufferedBodyContent));

    private BufferedBodyContent WithHeadersOf(HttpContent original, bool dropEncoding, bool dropLength)
    {
        // Raw values are shared, not parsed or copied.
        foreach (var (name, values) in original.Headers.NonValidated)
        {
            if ((dropEncoding && IsNamed(name, "Content-Encoding")) || (dropLength && IsNamed(name, "Content-Length")))
            {
                continue;
            }

            foreach (var value in values)
            {
                Headers.TryAddWithoutValidation(name, value);
            }
        }

        return this;
    }

    private static bool IsNamed(string name, string expected) => string.Equals(name, expected, StringComparison.OrdinalIgnoreCase);
}
