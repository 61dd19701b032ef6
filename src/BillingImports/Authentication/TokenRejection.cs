using System.Net;
using Microsoft.Kiota.Abstractions.Authentication;

namespace BillingImports;

/// <summary>
/// When the API answers 401 to a token the cache still considered valid (revoked, or the clocks
/// disagree), forgets it so that the request can be sent once more with a new one. The retry
/// handler asks, inside the attempt, and resends through Kiota's AuthorizationHandler, which adds
/// the new token; a handler of its own would cost an async frame on every call.
/// </summary>
internal sealed class TokenRejection(ElasticPathAccessTokenProvider tokens)
{
    /// <summary>
    /// Whether <paramref name="response"/> rejects the bearer token the request carried; if so the
    /// token is forgotten and <paramref name="request"/> loses its <c>Authorization</c> header, ready
    /// to be sent again.
    /// </summary>
    public bool Rejected(HttpResponseMessage response, HttpRequestMessage request)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized
            || (response.RequestMessage ?? request).Headers.Authorization is not { Scheme: "Bearer", Parameter: { } rejected })
        {
            return false;
        }

        tokens.Invalidate(rejected);
        request.Headers.Authorization = null;
        return true;
    }
}

/// <summary>Kiota's bearer provider over the Elastic Path token provider.</summary>
internal static class ElasticPathAuthentication
{
    public static BaseBearerTokenAuthenticationProvider Provider(ElasticPathAccessTokenProvider tokens) => new(tokens);
}
