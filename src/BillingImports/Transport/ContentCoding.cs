using System.IO.Compression;
using System.Net;

namespace BillingImports;

/// <summary>
/// The content codings the SDK asks for (<see cref="AcceptEncoding"/>) and decodes itself, in place
/// of the platform's automatic decompression: that one adds the <c>Accept-Encoding</c> values to
/// every request and wraps every answer in a handler frame, compressed or not. Here the header is a
/// raw default header, and only an answer that says <c>Content-Encoding</c> pays for decoding.
/// </summary>
internal static class ContentCoding
{
    /// <summary>
    /// What the platform's decompression asked for, unchanged, so no server answers differently:
    /// gzip is what the vendors' front ends compress with, brotli where they prefer it, and deflate
    /// costs nothing to keep since an answer that says it is decoded either way.
    /// </summary>
    public const string AcceptEncoding = "gzip, deflate, br";

    /// <summary>The coding of a body, by its <c>Content-Encoding</c>, read raw (unparsed).</summary>
    public static Coding Of(HttpContent content)
    {
        if (!content.Headers.NonValidated.TryGetValues("Content-Encoding", out var values))
        {
            return Coding.None;
        }

        // One coding, as servers send; a stack of them ("gzip, br") is left as it came, for the
        // reader to refuse, as the platform's own decompression ends up doing.
        var value = values.Count == 1 ? values.ToString().AsSpan().Trim() : [];
        return value switch
        {
            _ when value.Equals("gzip", StringComparison.OrdinalIgnoreCase) => Coding.GZip,
            _ when value.Equals("deflate", StringComparison.OrdinalIgnoreCase) => Coding.Deflate,
            _ when value.Equals("br", StringComparison.OrdinalIgnoreCase) => Coding.Brotli,
            _ when value.Equals("identity", StringComparison.OrdinalIgnoreCase) => Coding.None,
            _ => Coding.Unknown,
        };
    }

    /// <summary>Whether the SDK decodes a body in <paramref name="coding"/>.</summary>
    public static bool IsDecoded(Coding coding) => coding is Coding.GZip or Coding.Deflate or Coding.Brotli;

    /// <summary>
    /// A stream of the decoded bytes of <paramref name="encoded"/>, which it disposes. "deflate" is
    /// zlib by the standard and raw deflate from some servers: as the platform does, the first byte
    /// decides (zlib's always has 8 in its low nibble, raw deflate's never).
    /// A body that does not decode throws <see cref="InvalidDataException"/> (gzip, deflate) or
    /// <see cref="InvalidOperationException"/> (brotli) as it is read.
    /// </summary>
    public static Stream Decode(Coding coding, Stream encoded) => coding switch
    {
        Coding.GZip => new GZipStream(encoded, CompressionMode.Decompress),
        Coding.Brotli => new BrotliStream(encoded, CompressionMode.Decompress),
        Coding.Deflate => new ZLibOrDeflateStream(encoded),
        _ => encoded,
    };

    /// <summary>A body's content coding.</summary>
    internal enum Coding
    {
        /// <summary>Not encoded (no <c>Content-Encoding</c>, or <c>identity</c>).</summary>
        None,

        /// <summary><c>gzip</c>.</summary>
        GZip,

        /// <summary><c>deflate</c>: zlib, or raw deflate.</summary>
        Deflate,

        /// <summary><c>br</c>.</summary>
        Brotli,

        /// <summary>A coding the SDK does not decode, or several: the body is left as it came.</summary>
        Unknown,
    }

    /// <summary>
    /// An error body decoded as it is read, for the error reader, which reads only the start of a
    /// body and under its own time limit: decoding it whole up front would read what it never looks at.
    /// </summary>
    internal sealed class DecodingContent : HttpContent
    {
        private readonly HttpContent _original;
        private readonly Coding _coding;

        public DecodingContent(HttpContent original, Coding coding)
        {
            _original = original;
            _coding = coding;
            foreach (var (name, values) in original.Headers.NonValidated)
            {
                if (!string.Equals(name, "Content-Encoding", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var value in values)
                    {
                        Headers.TryAddWithoutValidation(name, value);
                    }
                }
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var decoded = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (decoded.ConfigureAwait(false))
            {
                await decoded.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            using var decoded = CreateContentReadStream(cancellationToken);
            decoded.CopyTo(stream);
        }

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken) =>
            Decode(_coding, _original.ReadAsStream(cancellationToken));

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            Decode(_coding, await _original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _original.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Zlib or raw deflate, chosen by the first byte of the body once it is read.</summary>
    private sealed class ZLibOrDeflateStream(Stream encoded) : ReadOnlyStream
    {
        private Stream? _decoder;

        public override int Read(Span<byte> buffer)
        {
            if (_decoder is null)
            {
                var first = encoded.ReadByte();
                _decoder = Create(first);
            }

            return _decoder.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_decoder is null)
            {
                var first = new byte[1];
                var read = await encoded.ReadAsync(first, cancellationToken).ConfigureAwait(false);
                _decoder = Create(read == 0 ? -1 : first[0]);
            }

            return await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                (_decoder ?? encoded).Dispose();
            }

            base.Dispose(disposing);
        }

        private Stream Create(int first)
        {
            var rest = first < 0 ? encoded : new PrefixedStream((byte)first, encoded);
            return (first & 0xF) == 8 && first >= 0
                ? new ZLibStream(rest, CompressionMode.Decompress)
                : new DeflateStream(rest, CompressionMode.Decompress);
        }
    }

    /// <summary>One byte already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte first, Stream rest) : ReadOnlyStream
    {
        private bool _firstRead;

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            if (!_firstRead)
            {
                _firstRead = true;
                buffer[0] = first;
                return 1;
            }

            return rest.Read(buffer);
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty || _firstRead)
            {
                return buffer.IsEmpty ? ValueTask.FromResult(0) : rest.ReadAsync(buffer, cancellationToken);
            }

            _firstRead = true;
            buffer.Span[0] = first;
            return ValueTask.FromResult(1);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// What a forward-only, read-only stream answers to everything but reading; the array overloads
    /// go to the span and memory ones, which each stream implements.
    /// </summary>
    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        // Abstract again, so each stream must read memory itself rather than inherit Stream's copy
        // through a rented array.
        public abstract override int Read(Span<byte> buffer);

        public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
