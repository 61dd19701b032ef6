namespace BillingImports;

/// <summary>Options for <see cref="ElasticPathClient"/>.</summary>
public sealed class ElasticPathClientOptions : BillingImportsClientOptions
{
    private static readonly Uri UsEast = new("https://useast.api.elasticpath.com/");
    private static readonly Uri EuWest = new("https://euwest.api.elasticpath.com/");

    /// <summary>The OAuth2 client id. Required.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth2 client secret. Required; never logged or shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The region; sets the default base address. Default <see cref="ElasticPathRegion.UsEast"/>.</summary>
    public ElasticPathRegion Region { get; set; } = ElasticPathRegion.UsEast;

    /// <summary>
    /// How long before a token's expiry it is replaced. Default 60 seconds. A token that lives
    /// shorter than twice this is replaced halfway through its life.
    /// </summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether the credentials are a development store's, whose documented rate limit is 25
    /// requests a second instead of 100. Sets <see cref="DocumentedMaxRequestsPerSecond"/>. Default false.
    /// </summary>
    public bool IsDevelopmentStore { get; set; }

    /// <summary>Elastic Path's documented limit: 100 requests a second for production stores and organizations, 25 for development stores (<see cref="IsDevelopmentStore"/>).</summary>
    public override int DocumentedMaxRequestsPerSecond => IsDevelopmentStore ? 25 : 100;

    /// <summary>The token endpoint: <c>oauth/access_token</c> under the base address.</summary>
    public Uri TokenEndpoint => new(EffectiveBaseAddress, "oauth/access_token");

    /// <summary>
    /// The <see cref="Region"/>'s API: <c>https://useast.api.elasticpath.com/</c> or
    /// <c>https://euwest.api.elasticpath.com/</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Region"/> is not a defined region.</exception>
    public override Uri DefaultBaseAddress => AddressOf(Region);

    private static Uri AddressOf(ElasticPathRegion region) => region switch
    {
        ElasticPathRegion.UsEast => UsEast,
        ElasticPathRegion.EuWest => EuWest,
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, "Unknown Elastic Path region."),
    };

    /// <summary>Describes the options with the client secret redacted.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"ElasticPathClientOptions {{ BaseAddress = {DescribeAddress(Enum.IsDefined(Region) ? AddressOf(Region) : null)}, ClientId = {ClientId ?? "(not set)"}, ClientSecret = {(string.IsNullOrEmpty(ClientSecret) ? "(not set)" : "[redacted]")}, Timeout = {Timeout} }}";

    private protected override void AddProblems(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add("ClientId is required (the Elastic Path client id).");
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            problems.Add("ClientSecret is required (the Elastic Path client secret).");
        }

        if (!Enum.IsDefined(Region))
        {
            problems.Add($"Region must be UsEast or EuWest, not {(int)Region}.");
        }

        if (TokenRefreshMargin < TimeSpan.Zero)
        {
            problems.Add("TokenRefreshMargin cannot be negative.");
        }

        base.AddProblems(problems);
    }
}
