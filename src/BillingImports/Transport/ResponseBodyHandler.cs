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
/// before following the redirect.</item>
/// </list>
/// </summary>
internal sealed class ResponseBodyHandler(long maxBodySize) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsRedirect(response.StatusCode))
            {
                DiscardBody(response);
            }
            else if (response.IsSuccessStatusCode)
            {
                await ResponseBodyReader.BufferSuccessBodyAsync(response, maxBodySize, cancellationToken).ConfigureAwait(false);
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
}
