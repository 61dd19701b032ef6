using Microsoft.Kiota.Abstractions.Authentication;

namespace BillingImports;

/// <summary>
/// Where a client's credentials may go: the origin of its base address (scheme, host and port, as
/// browsers scope credentials), over https, or over http only on a loopback host. A host-name check
/// alone would hand the key to any other port on the same machine.
/// </summary>
internal sealed class CredentialOrigin(Uri baseAddress)
{
    private AllowedHostsValidator? _allowedHosts;

    /// <summary>
    /// Kiota's host check, which Kiota's own handlers consult first; <see cref="Matches"/> is the
    /// stricter rule. Made on first use: only Kiota's AuthorizationHandler asks, and a client that
    /// never does (ChartMogul's) does not pay for it.
    /// </summary>
    public AllowedHostsValidator AllowedHosts => _allowedHosts ??= new([baseAddress.Host]);

    /// <summary>Whether a request to <paramref name="uri"/> may carry the credentials.</summary>
    public bool Matches(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
        && string.Equals(uri.Scheme, baseAddress.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, baseAddress.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == baseAddress.Port
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
