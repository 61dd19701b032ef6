using System.Net;

namespace BillingImports;

/// <summary>
/// Sits right inside Kiota's redirect handler, so it sees every hop of every attempt, and bounds what
/// a response may hand the rest of the SDK:
/// <list type="bullet">
/// <item>a success body is read whole here, under the attempt's cancellation token, up to
/// <see cref="BillingImportsClientOptions.MaxResponseBodySize"/> decoded bytes, so the per-attempt
/// timeout covers it, a body that breaks mid-stream is retried like any network failure, and one
/// that is too large ends the call before it fills memory;</item>
/// <item>a redirect's body is dropped unread: the redirect handler would otherwise read all of it
/// before following the redirect;</item>
/// <item>the client's own secrets, echoed by the server in a header value or a success body, are
/// replaced before anything reads them, and the request behind an error carries the scrubber for the
/// error reader, which scrubs error bodies.</item>
/// </list>
/// </summary>
/// <param name="maxBodySize">The cap on a success body, in decoded bytes.</param>
/// <param name="secrets">The client's secrets; null when it has none to protect.</param>
/// <param name="scrubSuccessBodies">
/// False for the token endpoint, whose success body is the token itself: it is read only by the
/// token provider, and a token the server repeats must not turn into the marker.
/// </param>
internal sealed class ResponseBodyHandler(long maxBodySize, SecretScrubber? secrets = null, bool scrubSuccessBodies = true) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (secrets is not null)
            {
                secrets.ScrubHeaders(response.Headers);
                secrets.ScrubHeaders(response.Content.Headers);
                if (!response.IsSuccessStatusCode)
                {
                    // Only an error pays for the request's options dictionary: the error reader finds
                    // the scrubber there.
                    response.RequestMessage ??= request;
                    response.RequestMessage.Options.Set(SecretScrubber.Key, secrets);
                }
            }

            if (IsRedirect(response.StatusCode))
            {
                DiscardBody(response);
            }
            else if (response.IsSuccessStatusCode)
            {
                await ResponseBodyReader.BufferSuccessBodyAsync(response, maxBodySize, cancellationToken).ConfigureAwait(false);
                if (secrets is not null && scrubSuccessBodies)
                {
                    await ScrubBodyAsync(response, secrets, cancellationToken).ConfigureAwait(false);
                }
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The statuses Kiota's RedirectHandler follows.</summary>
    private static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    private static void DiscardBody(HttpResponseMessage response)
    {
        // Disposing the unread content lets the connection drain a little or close; the empty
        // replacement is what the redirect handler "drains" instead.
        var body = response.Content;
        response.Content = new ByteArrayContent([]);
        body.Dispose();
    }

    private static async Task ScrubBodyAsync(HttpResponseMessage response, SecretScrubber secrets, CancellationToken cancellationToken)
    {
        // A buffered content writes its buffer to the stream in one call, without a copy of its own.
        var scan = new SecretScan(secrets);
        await response.Content.CopyToAsync(scan, cancellationToken).ConfigureAwait(false);
        var scrubbed = scan.Scrubbed;
        if (scan.Writes > 1)
        {
            // Not seen in one piece, so a secret may straddle two: look at the whole.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            scrubbed = secrets.Contains(body) ? secrets.Scrub(body) : null;
        }

        if (scrubbed is null)
        {
            return;
        }

        var original = response.Content;
        var replacement = new ByteArrayContent(scrubbed);
        foreach (var (name, values) in original.Headers.NonValidated)
        {
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                replacement.Headers.TryAddWithoutValidation(name, values);
            }
        }

        response.Content = replacement;
        original.Dispose();
    }

    /// <summary>A write-only stream that looks for secrets in what is written to it, and copies a piece only when it holds one.</summary>
    private sealed class SecretScan(SecretScrubber secrets) : Stream
    {
        public int Writes { get; private set; }

        /// <summary>The scrubbed body, when it came in one piece that held a secret.</summary>
        public byte[]? Scrubbed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            if (Writes == 1 && secrets.Contains(buffer))
            {
                Scrubbed = secrets.Scrub(buffer);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
