using System.Net.Http.Headers;
using System.Text;
using Microsoft.Kiota.Abstractions.Authentication;

namespace BillingImports;

/// <summary>
/// ChartMogul's Basic auth: the API key as the user name and an empty password. Kiota's Basic
/// provider rejects an empty password and serves https only, so this small handler does it, with
/// Kiota's <see cref="AllowedHostsValidator"/> deciding where the key may go.
/// </summary>
internal sealed class ChartMogulBasicAuthenticationHandler(string apiKey, AllowedHostsValidator allowedHosts) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey + ":")));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && CredentialPolicy.MaySend(request.RequestUri, allowedHosts))
        {
            request.Headers.Authorization = _header;
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Where credentials may be sent: an allowed host, over https, or over http only on loopback.</summary>
internal static class CredentialPolicy
{
    public static AllowedHostsValidator For(Uri baseAddress) => new([baseAddress.Host]);

    public static bool MaySend(Uri? uri, AllowedHostsValidator allowedHosts) =>
        uri is { IsAbsoluteUri: true }
        && allowedHosts.IsUrlHostValid(uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
