using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

namespace BillingImports;

/// <summary>
/// Bounds what a response may hand the rest of the SDK:
/// <list type="bullet">
/// <item>a success body is read whole inside the attempt, under its cancellation token, up to
/// <see cref="BillingImportsClientOptions.MaxResponseBodySize"/> decoded bytes (decoded here when the
/// answer says <c>Content-Encoding</c>), so the per-attempt timeout covers it, a body that breaks
/// mid-stream is retried like any network failure, and one that is too large ends the call before
/// it fills memory;</item>
/// <item>a redirect's body is dropped unread: Kiota's redirect handler would otherwise read all of
/// it before following the redirect;</item>
/// <item>an error body the answer says is compressed is decoded as the error reader reads it;</item>
/// <item>the client's own secrets, echoed by the server in a header value or a success body, are
/// replaced before anything reads them, and the request behind an error carries the scrubber for the
/// error reader, which scrubs error bodies.</item>
/// </list>
/// It has no handler frame of its own, which would cost an async state machine on every call: every
/// redirect passes through <see cref="OnRedirect"/>, the <see cref="RedirectHandlerOption.ShouldRedirect"/>
/// of the Kiota <see cref="RedirectHandler"/> that <see cref="RedirectFollower"/> hands redirects to,
/// which the handler calls before it reads the <c>Location</c> or the body; the answer that ends an
/// attempt passes through <see cref="ApplyAsync"/>, in <see cref="TransientRetryHandler"/>.
/// </summary>
/// <param name="maxBodySize">The cap on a success body, in decoded bytes.</param>
/// <param name="secrets">The client's secrets; null when it has none to protect.</param>
/// <param name="scrubSuccessBodies">
/// False for the token endpoint, whose success body is the token itself: it is read only by the
/// token provider, and a token the server repeats must not turn into the marker.
/// </param>
internal sealed class ResponseBodyPolicy(long maxBodySize, SecretScrubber? secrets = null, bool scrubSuccessBodies = true)
{
    /// <summary>Kiota's redirect handler, with every redirect it follows passing through <see cref="OnRedirect"/> first.</summary>
    public RedirectHandler CreateRedirectHandler() => new(new RedirectHandlerOption { ShouldRedirect = OnRedirect });

    /// <summary>A redirect about to be followed: its headers scrubbed, its body dropped unread; always followed.</summary>
    public bool OnRedirect(HttpResponseMessage response)
    {
        ScrubHeaders(response);
        DiscardBody(response);
        return true;
    }

    /// <summary>
    /// The answer that ends an attempt. Fails with what <see cref="ResponseBodyReader.BufferSuccessBodyAsync"/>
    /// fails with, after disposing the response.
    /// </summary>
    /// <remarks>Synchronous while the body is already there (see the reader); only a read that waits continues asynchronously.</remarks>
    public ValueTask ApplyAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            ScrubHeaders(response);
            if (secrets is not null && !response.IsSuccessStatusCode)
            {
                // Only an error pays for the request's options entry: the error reader finds the scrubber there.
                response.RequestMessage ??= request;
                response.RequestMessage.Options.Set(SecretScrubber.Key, secrets);
            }

            if (RedirectFollower.IsRedirect(response))
            {
                // One nobody followed (the token endpoint's pipeline follows none).
                DiscardBody(response);
            }
            else if (response.IsSuccessStatusCode)
            {
                var reading = ResponseBodyReader.BufferSuccessBodyAsync(response, maxBodySize, decode: true, cancellationToken);
                if (!reading.IsCompleted)
                {
                    return FinishAsync(reading, response);
                }

                reading.GetAwaiter().GetResult();
                ScrubBody(response);
            }
            else
            {
                ResponseBodyReader.DecodeErrorBody(response);
            }

            return default;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FinishAsync(ValueTask reading, HttpResponseMessage response)
    {
        try
        {
            await reading.ConfigureAwait(false);
            ScrubBody(response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void DiscardBody(HttpResponseMessage response)
    {
        // Disposing the unread content lets the connection drain a little or close; the empty
        // replacement is what the redirect handler "drains" instead.
        var body = response.Content;
        response.Content = new ByteArrayContent([]);
        body.Dispose();
    }

    /// <summary>Replaces the buffered body with a scrubbed copy only when it holds a secret; the search allocates nothing.</summary>
    private void ScrubBody(HttpResponseMessage response)
    {
        if (secrets is null || !scrubSuccessBodies || response.Content is not BufferedBodyContent buffered || !secrets.Contains(buffered.Body))
        {
            return;
        }

        response.Content = BufferedBodyContent.FromArray(secrets.Scrub(buffered.Body), buffered);
        buffered.Dispose();
    }

    private void ScrubHeaders(HttpResponseMessage response)
    {
        if (secrets is not null)
        {
            secrets.ScrubHeaders(response.Headers);
            secrets.ScrubHeaders(response.Content.Headers);
        }
    }
}
