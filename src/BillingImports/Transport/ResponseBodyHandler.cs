using System.Buffers;
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
                    ScrubBody(response, secrets, cancellationToken);
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

    /// <summary>
    /// Looks for the secrets in the buffered body and replaces the content only when one is there.
    /// The buffered content hands out one cached stream over its buffer (the same one the generated
    /// client then reads), so the scan copies the bytes into a pooled buffer and allocates nothing.
    /// </summary>
    private static void ScrubBody(HttpResponseMessage response, SecretScrubber secrets, CancellationToken cancellationToken)
    {
        var stream = response.Content.ReadAsStream(cancellationToken);
        if (!stream.CanSeek)
        {
            return;
        }

        var length = checked((int)stream.Length);
        if (length == 0)
        {
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            stream.Position = 0;
            stream.ReadExactly(rented, 0, length);
            stream.Position = 0;
            var body = rented.AsSpan(0, length);
            if (!secrets.Contains(body))
            {
                return;
            }

            var original = response.Content;
            var replacement = new ByteArrayContent(secrets.Scrub(body));
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
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
