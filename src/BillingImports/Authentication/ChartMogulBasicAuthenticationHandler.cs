namespace BillingImports;

/// <summary>
/// ChartMogul's Basic auth: the API key as the user name and an empty password. Kiota's Basic
/// provider rejects an empty password and serves https only, so this small handler does it, for the
/// credential's own origin only (<see cref="CredentialOrigin"/>).
/// </summary>
/// <param name="credential">The Basic credential, <see cref="BasicCredential.Encode"/> of the API key.</param>
/// <param name="origin">The only origin the credential goes to.</param>
internal sealed class ChartMogulBasicAuthenticationHandler(string credential, CredentialOrigin origin) : DelegatingHandler
{
    /// <summary>
    /// The header's text, made once and added unparsed: a parsed value would be stored in a header
    /// entry of its own and formatted again on every request.
    /// </summary>
    private readonly string _header = "Basic " + credential;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Headers.NonValidated.Contains("Authorization") && origin.Matches(request.RequestUri))
        {
            request.Headers.TryAddWithoutValidation("Authorization", _header);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
