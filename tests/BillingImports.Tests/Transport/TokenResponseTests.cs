using BillingImports.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// Whatever the token endpoint answers with a 200, a call ends in a token it can use or in a typed
/// error, and an unusable token is never cached.
/// </summary>
public sealed class TokenResponseTests
{
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string Token = "tok-0123456789abcdef";

    private static (HostileServer Server, ElasticPathClient Client, FakeTimeProvider Time) Start(Func<string> tokenBody, string contentType = "application/json")
    {
        var server = new HostileServer((request, response) => request.Path == "/oauth/access_token"
            ? response.SendAsync(200, tokenBody(), contentType)
            : response.SendAsync(200, Reply.ImportJson(ImportId, "success", 1, 1)));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));
        var client = new ElasticPathClient(
            new ElasticPathClientOptions
            {
                ClientId = "id",
                ClientSecret = "secret-0123456789",
                BaseAddress = server.BaseAddress,
                Retry = new RetryOptions { MaxRetries = 0 },
            },
            null,
            time);
        return (server, client, time);
    }

    [Theory]
    [InlineData("""{"access_token":"tok-0123456789abcdef","expires_in":4e11}""")]
    [InlineData("""{"access_token":"tok-0123456789abcdef","expires_in":"4e11"}""")]
    [InlineData("""{"access_token":"tok-0123456789abcdef","expires":99999999999999}""")]
    [InlineData("""{"access_token":"tok-0123456789abcdef","expires_in":1e308,"expires":-5}""")]
    public async Task AbsurdLifetime_IsClampedToADayAndTheTokenIsUsed(string body)
    {
        var (server, client, time) = Start(() => body);
        using (server)
        using (client)
        {
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
            time.Advance(TimeSpan.FromHours(23));
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
            Assert.Equal(1, server.RequestCount("/oauth/access_token"));

            time.Advance(TimeSpan.FromHours(1));
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

            Assert.Equal(2, server.RequestCount("/oauth/access_token"));
            Assert.All(server.Requests.Where(r => r.Method == "GET"), get => Assert.Equal("Bearer " + Token, get.Authorization));
        }
    }

    [Theory]
    [InlineData("\"3600\"")]
    [InlineData("3600.0")]
    [InlineData("\" 3600 \"")]
    public async Task ExpiresInAsAStringOrAFraction_IsRead(string expiresIn)
    {
        var (server, client, time) = Start(() => $$"""{"access_token":"{{Token}}","expires_in":{{expiresIn}}}""");
        using (server)
        using (client)
        {
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
            time.Advance(TimeSpan.FromMinutes(50));
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
            Assert.Equal(1, server.RequestCount("/oauth/access_token"));

            // Past the refresh point, a minute before the hour.
            time.Advance(TimeSpan.FromMinutes(9.5));
            await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

            Assert.Equal(2, server.RequestCount("/oauth/access_token"));
        }
    }

    [Theory]
    [InlineData("tok-0123\r\nX-Injected: 1")]
    [InlineData("tok 0123456789")]
    [InlineData("tok-\u00e9t\u00e9-0123456789")]
    [InlineData("tok-\u00000123456789")]
    [InlineData("   ")]
    public async Task UnusableToken_IsATypedErrorAndIsNotCached(string token)
    {
        var escaped = System.Text.Json.JsonSerializer.Serialize(token);
        var (server, client, _) = Start(() => $$"""{"access_token":{{escaped}},"expires_in":3600}""");
        using (server)
        using (client)
        {
            var first = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));
            var second = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

            Assert.Equal(ApiErrorKind.InvalidResponse, first.Kind);
            Assert.Equal(ApiErrorKind.InvalidResponse, second.Kind);
            Assert.DoesNotContain("Injected", first.Message, StringComparison.Ordinal);
            Assert.Equal(2, server.RequestCount("/oauth/access_token"));
            Assert.Equal(0, server.RequestCount("/v2/"));
        }
    }

    [Fact]
    public async Task OverlongToken_IsATypedError()
    {
        var (server, client, _) = Start(() => $$"""{"access_token":"{{new string('t', 20_000)}}","expires_in":3600}""");
        using (server)
        using (client)
        {
            var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
            Assert.Equal(0, server.RequestCount("/v2/"));
        }
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("\"tok-0123456789abcdef\"")]
    [InlineData("{\"access_token\":")]
    [InlineData("{\"access_token\":42}")]
    public async Task BodyThatIsNotATokenObject_IsATypedError(string body)
    {
        var (server, client, _) = Start(() => body);
        using (server)
        using (client)
        {
            var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

            Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        }
    }

    [Fact]
    public async Task UnknownCharset_IsReadAsUtf8()
    {
        var (server, client, _) = Start(() => $$"""{"access_token":"{{Token}}","expires_in":3600}""", "application/json; charset=utf-99");
        using (server)
        using (client)
        {
            var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

            Assert.Equal(ImportId, import.Id);
        }
    }
}
