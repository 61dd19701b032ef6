using System.Net.Http.Headers;
using System.Text;

namespace BillingImports;

/// <summary>
/// ChartMogul's Basic auth: the API key as the user name and an empty password. Kiota's Basic
/// provider rejects an empty password and serves https only, so this small handler does it, for the
/// credential's own origin only (<see cref="CredentialOrigin"/>).
/// </summary>
internal sealed class ChartMogulBasicAuthenticationHandler(string apiKey, CredentialOrigin origin) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _header = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(apiKey + ":")));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && origin.Matches(request.RequestUri))
        {
            request.Headers.Authorization = _header;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
