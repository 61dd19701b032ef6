using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions.Authentication;

namespace BillingImports;

/// <summary>
/// The OAuth2 client-credentials exchange for Elastic Path, as a Kiota
/// <see cref="IAccessTokenProvider"/> behind Kiota's <c>AuthorizationHandler</c>. The token is
/// cached and replaced <see cref="ElasticPathClientOptions.TokenRefreshMargin"/> before it expires;
/// however many calls need a new token at once, one exchange is made and they all use it.
/// </summary>
internal sealed partial class ElasticPathAccessTokenProvider : IAccessTokenProvider, IDisposable
{
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly Uri _tokenEndpoint;
    private readonly TimeSpan _refreshMargin;
    private readonly TimeProvider _time;
    private readonly Func<HttpClient> _http;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _token;

    public ElasticPathAccessTokenProvider(ElasticPathClientOptions options, Func<HttpClient> http, ILogger logger)
    {
        _clientId = options.ClientId!;
        _clientSecret = options.ClientSecret!;
        _tokenEndpoint = options.TokenEndpoint;
        _refreshMargin = options.TokenRefreshMargin;
        _time = options.TimeProvider;
        _http = http;
        _logger = logger;
        Origin = new CredentialOrigin(options.EffectiveBaseAddress);
        Secrets = SecretScrubber.ForElasticPath(_clientSecret);
    }

    /// <summary>The client secret and the tokens obtained, for the pipelines to scrub from what servers echo.</summary>
    public SecretScrubber Secrets { get; }

    /// <summary>Where the token may go.</summary>
    public CredentialOrigin Origin { get; }

    public AllowedHostsValidator AllowedHostsValidator => Origin.AllowedHosts;

    /// <summary>How many exchanges were made; read by tests.</summary>
    internal int Exchanges { get; private set; }

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!Origin.Matches(uri))
        {
            // Kiota's AuthorizationHandler sends no Authorization header for an empty token.
            return string.Empty;
        }

        if (_token is { } fresh && !NeedsRefresh(fresh))
        {
            return fresh.Value;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited for the gate.
            if (_token is { } refreshed && !NeedsRefresh(refreshed))
            {
                return refreshed.Value;
            }

            var token = await ExchangeAsync(cancellationToken).ConfigureAwait(false);
            _token = token;
            return token.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token, after the API rejected it, so the next call exchanges again.</summary>
    public void Invalidate(string rejected)
    {
        if (_token is { } current && current.Value == rejected)
        {
            _token = null;
        }
    }

    public void Dispose() => _gate.Dispose();

    private bool NeedsRefresh(CachedToken token) => _time.GetUtcNow() >= token.RefreshAt;

    private async Task<CachedToken> ExchangeAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint)
        {
            Content = new FormUrlEncodedContent(
            [
                new("grant_type", "client_credentials"),
                new("client_id", _clientId),
                new("client_secret", _clientSecret),
            ]),
        };

        using var response = await _http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        Exchanges++;
        if (!response.IsSuccessStatusCode)
        {
            var failure = await ErrorResponseReader.CreateAsync(response, _time, cancellationToken).ConfigureAwait(false);

            // Transient answers keep their kind so retries and polling ride through them; anything
            // else means the credentials were refused.
            throw failure.IsTransient
                ? failure
                : new BillingImportsApiException($"Elastic Path refused the client credentials. {failure.Message}", ApiErrorKind.Unauthorized, failure.StatusCode, failure)
                {
                    RequestId = failure.RequestId,
                    Errors = failure.Errors,
                    Secrets = Secrets,
                };
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var value = root.TryGetProperty("access_token", out var accessToken) && accessToken.ValueKind == JsonValueKind.String ? accessToken.GetString() : null;
            if (string.IsNullOrEmpty(value))
            {
                throw new BillingImportsApiException("The Elastic Path token endpoint answered without an access_token.", ApiErrorKind.InvalidResponse, (int)response.StatusCode);
            }

            // expires_in is relative, so a skewed local clock does not matter; expires is the fallback.
            var expiresAt = root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt64(out var seconds)
                ? now.AddSeconds(seconds)
                : root.TryGetProperty("expires", out var expires) && expires.TryGetInt64(out var epoch)
                    ? DateTimeOffset.FromUnixTimeSeconds(epoch)
                    : now.AddMinutes(5);
            // A token that lives shorter than twice the margin is replaced halfway through its life
            // instead, or it would be replaced on every call.
            var lifetime = expiresAt - now;
            var margin = lifetime / 2 < _refreshMargin ? lifetime / 2 : _refreshMargin;
            LogTokenIssued(_logger, lifetime.TotalSeconds);
            Secrets.AddToken(value);
            return new CachedToken(value, expiresAt, expiresAt - margin);
        }
        catch (JsonException exception)
        {
            throw new BillingImportsApiException("The Elastic Path token endpoint answered with a body that is not JSON.", ApiErrorKind.InvalidResponse, (int)response.StatusCode, exception);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Obtained an Elastic Path access token valid for {Seconds} s")]
    private static partial void LogTokenIssued(ILogger logger, double seconds);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt)
    {
        // A record prints its members; this one holds a secret.
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"CachedToken {{ ExpiresAt = {ExpiresAt:O}, RefreshAt = {RefreshAt:O} }}");
    }
}
