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
    /// <summary>How long a token is kept when the endpoint does not say.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The longest lifetime honoured; a longer one (<c>expires_in: 4e11</c>) is cut to this.</summary>
    internal static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>The longest token accepted: it travels in every request's headers.</summary>
    internal const int MaxTokenLength = 16 * 1024;

    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly Uri _tokenEndpoint;
    private readonly TimeSpan _refreshMargin;
    private readonly TimeProvider _time;
    private readonly Func<HttpClient> _http;
    private readonly ILogger _logger;
    private static readonly Task<string> NoToken = Task.FromResult(string.Empty);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CachedToken? _token;

    public ElasticPathAccessTokenProvider(ElasticPathClientOptions options, Func<HttpClient> http, ClientServices services)
    {
        _clientId = options.ClientId!;
        _clientSecret = options.ClientSecret!;
        _tokenEndpoint = options.TokenEndpoint;
        _refreshMargin = options.TokenRefreshMargin;
        _time = services.Time;
        _http = http;
        _logger = services.Logger;
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

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!Origin.Matches(uri))
        {
            // Kiota's AuthorizationHandler sends no Authorization header for an empty token.
            return NoToken;
        }

        // The common case, every call while the token is fresh: its completed task, made once.
        return _token is { } fresh && !NeedsRefresh(fresh) ? fresh.Completed : RefreshAsync(cancellationToken);
    }

    private async Task<string> RefreshAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>
    /// The <c>Authorization</c> header text for <paramref name="token"/> when it is the cached token
    /// (made once per token); null for any other.
    /// </summary>
    public string? HeaderText(string token) =>
        _token is { } cached && string.Equals(cached.Value, token, StringComparison.Ordinal) ? cached.HeaderText : null;

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

        var status = (int)response.StatusCode;
        var now = _time.GetUtcNow();
        string? value;
        TimeSpan lifetime;
        try
        {
            // Parsed from the bytes: JSON is UTF-8 whatever charset the header claims, and a charset
            // .NET does not know would make ReadAsStringAsync throw.
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BillingImportsApiException("The Elastic Path token endpoint answered with JSON that is not an object.", ApiErrorKind.InvalidResponse, status);
            }

            value = root.TryGetProperty("access_token", out var accessToken) && accessToken.ValueKind == JsonValueKind.String ? accessToken.GetString() : null;

            // expires_in is relative, so a skewed local clock does not matter; expires is the fallback.
            lifetime = Seconds(root, "expires_in") is { } seconds
                ? Lifetime(seconds)
                : Seconds(root, "expires") is { } epoch
                    ? Lifetime(epoch - now.ToUnixTimeSeconds())
                    : DefaultLifetime;
        }
        catch (JsonException exception)
        {
            throw new BillingImportsApiException("The Elastic Path token endpoint answered with a body that is not JSON.", ApiErrorKind.InvalidResponse, status, exception);
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new BillingImportsApiException("The Elastic Path token endpoint answered without an access_token.", ApiErrorKind.InvalidResponse, status);
        }

        if (!IsUsable(value))
        {
            // Not cached: it would fail every call until it expired. The value is not quoted.
            throw new BillingImportsApiException(
                string.Create(CultureInfo.InvariantCulture, $"The Elastic Path token endpoint answered with an access_token that cannot be sent in a header (it must be 1 to {MaxTokenLength} visible ASCII characters, without spaces or line breaks)."),
                ApiErrorKind.InvalidResponse,
                status);
        }

        // A token that lives shorter than twice the margin is replaced halfway through its life
        // instead, or it would be replaced on every call.
        var expiresAt = now + lifetime;
        var margin = lifetime / 2 < _refreshMargin ? lifetime / 2 : _refreshMargin;
        LogTokenIssued(_logger, lifetime.TotalSeconds);
        Secrets.AddToken(value);
        return new CachedToken(value, expiresAt, expiresAt - margin);
    }

    /// <summary>A number of seconds sent as a JSON number or a numeric string (<c>3600</c>, <c>"3600"</c>, <c>3600.0</c>); null otherwise.</summary>
    private static double? Seconds(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var member))
        {
            return null;
        }

        var seconds = member.ValueKind switch
        {
            JsonValueKind.Number when member.TryGetDouble(out var number) => number,
            JsonValueKind.String when double.TryParse(member.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
        return double.IsFinite(seconds) ? seconds : null;
    }

    /// <summary>A lifetime the cache can hold: none in the past, none beyond <see cref="MaxLifetime"/>.</summary>
    private static TimeSpan Lifetime(double seconds) =>
        seconds <= 0 ? TimeSpan.Zero : seconds >= MaxLifetime.TotalSeconds ? MaxLifetime : TimeSpan.FromSeconds(seconds);

    /// <summary>Whether the token can go in an <c>Authorization</c> header: visible ASCII only (RFC 6750 tokens are narrower still).</summary>
    private static bool IsUsable(string token)
    {
        if (token.Length > MaxTokenLength)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Obtained an Elastic Path access token valid for {Seconds} s")]
    private static partial void LogTokenIssued(ILogger logger, double seconds);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresAt, DateTimeOffset RefreshAt)
    {
        /// <summary>The value as a completed task, handed to every call while the token is fresh.</summary>
        public Task<string> Completed { get; } = Task.FromResult(Value);

        /// <summary>The <c>Authorization</c> header's text for this token.</summary>
        public string HeaderText { get; } = "Bearer " + Value;

        // A record prints its members; this one holds a secret.
        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"CachedToken {{ ExpiresAt = {ExpiresAt:O}, RefreshAt = {RefreshAt:O} }}");
    }
}
