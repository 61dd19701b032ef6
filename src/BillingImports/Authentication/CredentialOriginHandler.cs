namespace BillingImports;

/// <summary>
/// The SDK's innermost handler, the last look at a request's credential before the wire: a request
/// bound for another origin leaves without an <c>Authorization</c> header, whoever put it there (the
/// redirect handler copies the original request's headers onto the next hop).
/// </summary>
/// <param name="origin">Where the credential may go.</param>
/// <param name="tokens">
/// For Elastic Path, the token provider: Kiota's AuthorizationHandler sets the bearer token as a
/// parsed header value, which the connection would format into new text on every request; the
/// cached token's header text, made once per token, goes instead.
/// </param>
internal sealed class CredentialOriginHandler(CredentialOrigin origin, ElasticPathAccessTokenProvider? tokens = null) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Looked up unparsed: reading the typed header would parse a raw value on every call.
        if (request.Headers.NonValidated.Contains("Authorization"))
        {
            if (!origin.Matches(request.RequestUri))
            {
                request.Headers.Remove("Authorization");
            }
            else if (tokens is not null
                && request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token }
                && tokens.HeaderText(token) is { } text)
            {
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", text);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
