using System.Net;
using System.Text;
using BillingImports.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

public sealed class AuthenticationTests : IDisposable
{
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string SourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private readonly FakeBillingServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task ChartMogul_SendsTheApiKeyAsBasicUserWithAnEmptyPassword()
    {
        using var client = TransportFixture.CreateChartMogul(_server);

        var source = await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        Assert.Equal(SourceUuid, source.Uuid);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_server.ApiKey + ":"));
        Assert.Equal(expected, Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task ChartMogul_WrongKey_IsUnauthorizedWithoutTheKeyInTheMessage()
    {
        var options = TransportFixture.ChartMogul(_server);
        options.ApiKey = "wrong-key-0123456789abcdef";
        using var client = TransportFixture.CreateChartMogul(_server, options);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.DoesNotContain(options.ApiKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BasicCredential_IsTheBase64OfTheKeyAndAnEmptyPassword_ForEveryLength()
    {
        // Every remainder of the three-byte groups, several line lengths, and keys beyond ASCII.
        for (var length = 0; length < 100; length++)
        {
            foreach (var key in new[] { new string('k', length), string.Concat(Enumerable.Range(0, length).Select(i => (char)('!' + (i * 7 % 94)))), new string('é', length) })
            {
                Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")), BasicCredential.Encode(key));
            }
        }
    }

    [Fact]
    public async Task ElasticPath_ExchangesClientCredentialsOnceAndReusesTheToken()
    {
        using var client = TransportFixture.CreateElasticPath(_server);

        for (var i = 0; i < 3; i++)
        {
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        }

        Assert.Equal(1, TransportFixture.TokenRequests(_server));
        var calls = _server.Requests.Where(request => request.Path.StartsWith("/v2/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, calls.Count);
        Assert.All(calls, call => Assert.StartsWith("Bearer ", call.Authorization, StringComparison.Ordinal));
        Assert.Single(calls.Select(call => call.Authorization).Distinct());
    }

    [Fact]
    public async Task ElasticPath_RefreshesTheTokenBeforeItExpires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        using var server = new FakeBillingServer(new FakeBillingServerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(10) });
        using var client = TransportFixture.CreateElasticPath(server, time: time);

        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        time.Advance(TimeSpan.FromMinutes(8));
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        Assert.Equal(1, TransportFixture.TokenRequests(server));

        // Inside the refresh margin (60 s before expiry): a new token before the old one lapses.
        time.Advance(TimeSpan.FromMinutes(1.5));
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(2, TransportFixture.TokenRequests(server));
        var tokens = server.Requests.Where(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)).Select(r => r.Authorization).ToList();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
    }

    [Fact]
    public async Task ElasticPath_ManyConcurrentCallersAtExpiry_ShareOneRefresh()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        using var server = new FakeBillingServer(new FakeBillingServerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromMinutes(10) });
        using var client = TransportFixture.CreateElasticPath(server, time: time);
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        time.Advance(TimeSpan.FromMinutes(9.5));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token)));

        Assert.Equal(2, TransportFixture.TokenRequests(server));
        Assert.Equal(21, TransportFixture.Requests(server, "/v2/"));
    }

    [Fact]
    public async Task ElasticPath_TokenShorterThanTwiceTheMargin_IsReusedForHalfItsLife()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        using var server = new FakeBillingServer(new FakeBillingServerOptions { TimeProvider = time, TokenLifetime = TimeSpan.FromSeconds(60) });
        using var client = TransportFixture.CreateElasticPath(server, time: time);

        // The 60 s margin would make a 60 s token stale at once and cost an exchange per call.
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        time.Advance(TimeSpan.FromSeconds(20));
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        Assert.Equal(1, TransportFixture.TokenRequests(server));

        time.Advance(TimeSpan.FromSeconds(15));
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        Assert.Equal(2, TransportFixture.TokenRequests(server));
    }

    [Fact]
    public async Task ElasticPath_TokenEndpointUnavailable_IsRetriedThenTheCallSucceeds()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/oauth/access_token").UsingPost()).InScenario("token").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "4").WithBody("busy"));
        server.Given(Request.Create().WithPath("/oauth/access_token").UsingPost().WithBody(body => body != null && body.Contains("client_secret=s3cret", StringComparison.Ordinal)))
            .InScenario("token").WhenStateIs("up")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"access_token":"tok-1","token_type":"Bearer","expires_in":3600,"expires":1700000000}"""));
        server.Given(Request.Create().WithPath("/v2/subscriptions/imports/" + ImportId).UsingGet().WithHeader("Authorization", "Bearer tok-1"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(BillingImports.Tests.Support.Reply.ImportJson(ImportId, "success", 100, 100)));
        var time = new BillingImports.Tests.Support.VirtualTime();
        using var client = new ElasticPathClient(new ElasticPathClientOptions
        {
            ClientId = "id",
            ClientSecret = "s3cret",
            BaseAddress = new Uri(server.Url + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
            Retry = new RetryOptions { Jitter = 0 },
        }, null, time);

        var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportId, import.Id);
        Assert.Equal(2, server.LogEntries.Count(e => e.RequestMessage.Path == "/oauth/access_token"));
        Assert.Equal([TimeSpan.FromSeconds(4)], time.Delays);
    }

    [Fact]
    public async Task ElasticPath_BearerTokenIsNotSentToAnotherHostAfterARedirect()
    {
        using var elsewhere = WireMockServer.Start();
        elsewhere.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody(BillingImports.Tests.Support.Reply.ImportJson(ImportId, "success", 1, 1)));
        using var origin = WireMockServer.Start();
        origin.Given(Request.Create().WithPath("/oauth/access_token").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json").WithBody("""{"access_token":"tok-1","expires_in":3600}"""));
        origin.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(HttpStatusCode.Redirect)
            .WithHeader("Location", OtherHostName(elsewhere.Url!) + "/v2/subscriptions/imports/" + ImportId));
        using var client = new ElasticPathClient(new ElasticPathClientOptions
        {
            ClientId = "id",
            ClientSecret = "secret",
            BaseAddress = new Uri(origin.Url + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        }, null, new BillingImports.Tests.Support.VirtualTime());

        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        var first = origin.LogEntries.Single(e => e.RequestMessage.Method == "GET").RequestMessage;
        Assert.Equal("Bearer tok-1", first.Headers!["Authorization"].Single());
        Assert.False(Assert.Single(elsewhere.LogEntries).RequestMessage.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task ElasticPath_ManyConcurrentCallers_ShareOneTokenExchange()
    {
        using var client = TransportFixture.CreateElasticPath(_server);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token)));

        Assert.Equal(1, TransportFixture.TokenRequests(_server));
        Assert.Equal(20, TransportFixture.Requests(_server, "/v2/"));
    }

    [Fact]
    public async Task ElasticPath_RevokedToken_IsReplacedAndTheCallSucceeds()
    {
        using var client = TransportFixture.CreateElasticPath(_server);
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        _server.RevokeAccessTokens();
        var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportId, import.Id);
        Assert.Equal(2, TransportFixture.TokenRequests(_server));
    }

    [Fact]
    public async Task ElasticPath_NewTokenRejectedToo_IsUnauthorizedAfterOneMoreTry()
    {
        var exchanges = 0;
        using var server = new Support.HostileServer((request, response) => request.Path.StartsWith("/oauth/", StringComparison.Ordinal)
            ? response.SendAsync(200, $$"""{"access_token":"rejected-token-{{Interlocked.Increment(ref exchanges)}}-0123456789","expires_in":3600}""")
            : response.SendAsync(401, """{"errors":[{"status":"401","title":"Unauthorized"}]}"""));
        using var client = new ElasticPathClient(new ElasticPathClientOptions { ClientId = "id", ClientSecret = "hostile-secret-0123456789", BaseAddress = server.BaseAddress });

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.Equal(2, exchanges);
        var sent = server.Requests.Where(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)).Select(r => r.Authorization).ToList();
        Assert.Equal(["Bearer rejected-token-1-0123456789", "Bearer rejected-token-2-0123456789"], sent);
    }

    [Fact]
    public async Task ElasticPath_WrongSecret_IsUnauthorizedAndNeverShowsTheSecret()
    {
        var options = TransportFixture.ElasticPath(_server);
        options.ClientSecret = "not-the-secret-0123456789";
        using var client = TransportFixture.CreateElasticPath(_server, options);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.DoesNotContain(options.ClientSecret, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, TransportFixture.Requests(_server, "/v2/"));
    }

    [Fact]
    public async Task Credentials_AreNotSentToAnotherHostAfterARedirect()
    {
        using var elsewhere = WireMockServer.Start();
        elsewhere.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody("""{"uuid":"ds_x","name":"x","status":"idle"}"""));
        using var origin = WireMockServer.Start();
        // The same machine under another host name: a different host as far as credentials go.
        var redirectTarget = OtherHostName(elsewhere.Url!) + "/v1/data_sources/ds_x";
        origin.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(HttpStatusCode.Redirect).WithHeader("Location", redirectTarget));
        var options = TransportFixture.ChartMogul(_server);
        options.BaseAddress = new Uri(origin.Url + "/");
        using var client = TransportFixture.CreateChartMogul(_server, options);

        await client.DataSources.GetDataSourceAsync("ds_x", cancellationToken: TestContext.Token);

        Assert.True(origin.LogEntries.Single().RequestMessage.Headers!.ContainsKey("Authorization"));
        var redirected = Assert.Single(elsewhere.LogEntries).RequestMessage;
        Assert.False(redirected.Headers!.ContainsKey("Authorization"));
    }

    [Fact]
    public void BaseAddressWithUserInfo_IsRejectedWithoutEchoingIt()
    {
        var options = new ChartMogulClientOptions { ApiKey = "key", BaseAddress = new Uri("https://user:pass-0123456789@api.example.com/") };

        var failure = Assert.Throws<ArgumentException>(() => new ChartMogulClient(options));

        Assert.Contains("must not carry credentials", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass-0123456789", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pass-0123456789", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToStringNeverThrowsOnInvalidOptions()
    {
        var relative = new ChartMogulClientOptions { BaseAddress = new Uri("v1/", UriKind.Relative) };
        var badRegion = new ElasticPathClientOptions { Region = (ElasticPathRegion)7 };

        Assert.Contains("(relative)", relative.ToString(), StringComparison.Ordinal);
        Assert.Contains("(invalid)", badRegion.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ToStringRedactsCredentials()
    {
        var chartMogul = new ChartMogulClientOptions { ApiKey = "secret-api-key-0123456789" };
        var elasticPath = new ElasticPathClientOptions { ClientId = "client-1", ClientSecret = "secret-client-0123456789" };

        Assert.DoesNotContain("secret-api-key", chartMogul.ToString(), StringComparison.Ordinal);
        Assert.Contains("[redacted]", chartMogul.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-client", elasticPath.ToString(), StringComparison.Ordinal);
        Assert.Contains("client-1", elasticPath.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The same loopback server under its other name: a different host as far as credentials go.</summary>
    private static string OtherHostName(string url) => url.Contains("localhost", StringComparison.Ordinal)
        ? url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)
        : url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
}
