using Microsoft.Kiota.Abstractions.Authentication;

namespace BillingImports;

/// <summary>
/// When the API answers 401 to a token the cache still considered valid (revoked, or the clocks
/// disagree), forgets it and sends the request once more with a new one. Sits outside Kiota's
/// AuthorizationHandler, which adds the token.
/// </summary>
internal sealed class TokenRejectedHandler(ElasticPathAccessTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.Unauthorized || request.Headers.Authorization is not { Scheme: "Bearer", Parameter: { } rejected })
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(rejected);
        request.Headers.Authorization = null;
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Kiota's bearer provider over the Elastic Path token provider.</summary>
internal static class ElasticPathAuthentication
{
    public static BaseBearerTokenAuthenticationProvider Provider(ElasticPathAccessTokenProvider tokens) => new(tokens);
}
