using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// Credentials belong to an origin (scheme, host and port): a redirect to another port on the same
/// host is another origin, and the request that follows it leaves without them.
/// </summary>
public sealed class CredentialOriginTests : IDisposable
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string ApiKey = "origin-test-key-0123456789";
    private const string Token = "origin-token-0123456789abcdef";
    private const string Cookie = "session=origin-cookie-0123456789; Path=/";

    private readonly HostileServer _elsewhere = new((request, response) => request.Path.StartsWith("/v1/", StringComparison.Ordinal)
        ? response.SendAsync(200, """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"x","status":"idle"}""")
        : response.SendAsync(200, Reply.ImportJson(ImportId, "success", 1, 1)));

    private readonly HostileServer _origin;

    public CredentialOriginTests()
    {
        _origin = new HostileServer((request, response) => request.Path switch
        {
            "/oauth/access_token" => response.SendAsync(200, $$"""{"access_token":"{{Token}}","expires_in":3600}"""),
            _ when request.Path.StartsWith("/same/", StringComparison.Ordinal) => response.SendAsync(200, Body(request.Path), "application/json", ("Set-Cookie", Cookie)),
            _ => Redirect(response, request.Path),
        });
    }

    public void Dispose()
    {
        _origin.Dispose();
        _elsewhere.Dispose();
    }

    [Fact]
    public async Task ChartMogul_RedirectToAnotherPortOnTheSameHost_LeavesWithoutTheApiKey()
    {
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = ApiKey, BaseAddress = _origin.BaseAddress });

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.StartsWith("Basic ", Assert.Single(_origin.Requests).Authorization, StringComparison.Ordinal);
        Assert.Null(Assert.Single(_elsewhere.Requests).Authorization);
    }

    [Fact]
    public async Task ElasticPath_RedirectToAnotherPortOnTheSameHost_LeavesWithoutTheBearerToken()
    {
        using var client = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "id", ClientSecret = "secret-0123456789", BaseAddress = _origin.BaseAddress });

        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal("Bearer " + Token, _origin.Requests.Single(r => r.Method == "GET").Authorization);
        Assert.Null(Assert.Single(_elsewhere.Requests).Authorization);
    }

    [Fact]
    public async Task ElasticPath_RedirectToTheSameOrigin_KeepsTheBearerToken()
    {
        using var client = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "id", ClientSecret = "secret-0123456789", BaseAddress = _origin.BaseAddress });

        await client.SubscriptionImports.GetImportAsync("same-origin", TestContext.Token);

        var gets = _origin.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(2, gets.Count);
        Assert.All(gets, get => Assert.Equal("Bearer " + Token, get.Authorization));
        Assert.Empty(_elsewhere.Requests);
    }

    [Fact]
    public async Task ChartMogul_RedirectToTheSameOrigin_KeepsTheApiKey()
    {
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = ApiKey, BaseAddress = _origin.BaseAddress });

        await client.DataSources.GetDataSourceAsync("ds_same-origin", cancellationToken: TestContext.Token);

        Assert.Equal(2, _origin.Requests.Count);
        Assert.All(_origin.Requests, request => Assert.StartsWith("Basic ", request.Authorization, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChartMogul_CookieSetByTheOrigin_IsNotSentToAnotherPort()
    {
        // Cookies are scoped to a host, not a port: kept, the origin's would follow a redirect to
        // another port the way credentials must not.
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = ApiKey, BaseAddress = _origin.BaseAddress });

        await client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token);

        Assert.DoesNotContain("Cookie", Assert.Single(_elsewhere.Requests).Headers.Keys, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CookiesSetByTheApi_AreNotSentBack()
    {
        using var client = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "id", ClientSecret = "secret-0123456789", BaseAddress = _origin.BaseAddress });

        await client.SubscriptionImports.GetImportAsync("same-origin", TestContext.Token);
        await client.SubscriptionImports.GetImportAsync("same-origin", TestContext.Token);

        var gets = _origin.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(4, gets.Count);
        Assert.All(gets, get => Assert.DoesNotContain("Cookie", get.Headers.Keys, StringComparer.OrdinalIgnoreCase));
    }

    private static string Body(string path) => path.Contains("/v1/", StringComparison.Ordinal)
        ? """{"uuid":"ds_fef05d54-47b4-431b-aed2-eb6b9e545430","name":"x","status":"idle"}"""
        : Reply.ImportJson(ImportId, "success", 1, 1);

    /// <summary>Ids containing "same-origin" move to another path here; every other id moves to the other port.</summary>
    private Task Redirect(HostileResponse response, string path)
    {
        var location = path.Contains("same-origin", StringComparison.Ordinal)
            ? "/same" + path
            : new Uri(_elsewhere.BaseAddress, path.TrimStart('/')).AbsoluteUri;
        return response.SendAsync(302, string.Empty, "text/plain", ("Location", location), ("Set-Cookie", Cookie));
    }
}
