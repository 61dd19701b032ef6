namespace BillingImports;

/// <summary>
/// The SDK's innermost handler: a request bound for another origin leaves without an
/// <c>Authorization</c> header, whoever put it there (the redirect handler copies the original
/// request's headers onto the next hop).
/// </summary>
internal sealed class CredentialOriginHandler(CredentialOrigin origin) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is not null && !origin.Matches(request.RequestUri))
        {
            request.Headers.Authorization = null;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
