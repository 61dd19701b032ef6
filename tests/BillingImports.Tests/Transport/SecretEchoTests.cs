using System.Diagnostics;
using System.Net;
using System.Text;
using BillingImports.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// A server that echoes the client's own credential ("API key X is not valid") must not put it in
/// anything the SDK hands out: the exception's message, <c>ToString()</c>, body, headers and parsed
/// errors, log lines and spans. The SDK knows its secrets, so it scrubs their exact values whatever
/// surrounds them, not only after <c>key=</c>.
/// </summary>
public sealed class SecretEchoTests : IDisposable
{
    private const string Uuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string ApiKey = "fake-cmk7Qx2Lr9Vt4Wz8Ys3Pn6Ha";
    private const string ClientSecret = "eps/9Kd+2Lm=4Qr8Tv6Wx";
    private const string Token = "ept5Gh8Jk2Mn4Pq7Rs9Uv3Wy";

    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(ApiKey + ":"));

    // What an echo of the token request's form body would carry.
    private static readonly string FormEncodedSecret = Uri.EscapeDataString(ClientSecret);

    private static readonly string[] Secrets = [ApiKey, Basic, ClientSecret, FormEncodedSecret, Token];

    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => _logs.Dispose();

    [Theory]
    [InlineData("application/json", """{"code":401,"message":"API key {0} is not valid","param":null}""")]
    [InlineData("text/plain", "API key {0} is not valid")]
    [InlineData("text/html", "<html><head><title>API key {0} is not valid</title></head><body>Basic {1}</body></html>")]
    [InlineData("application/json", """{"error":"Invalid credentials","error_details":[{"param":"{0}","code":"invalid","message":"key {0} is not valid ({1})"}]}""")]
    public async Task ChartMogul_ErrorEchoingTheKey_NeverShowsIt(string contentType, string template)
    {
        var body = template.Replace("{0}", ApiKey, StringComparison.Ordinal).Replace("{1}", Basic, StringComparison.Ordinal);
        using var server = new HostileServer((_, response) => response.SendAsync(401, body, contentType, ("X-Echo", "key " + ApiKey), ("WWW-Authenticate", $"Basic realm=\"{Basic}\"")));
        using var recorder = new ActivityRecorder();
        using var client = ChartMogul(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.Contains("is not valid", error.Message + error.ResponseBody, StringComparison.Ordinal);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task DependencyInjection_ErrorEchoingTheKey_NeverShowsIt()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(401, $"API key {ApiKey} is not valid", "text/plain", ("X-Echo", ApiKey)));
        using var recorder = new ActivityRecorder();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_logs);
        services.AddChartMogulClient(o => { o.ApiKey = ApiKey; o.BaseAddress = server.BaseAddress; o.Retry.MaxRetries = 0; });
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => provider.GetRequiredService<IDataSourcesClient>().GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal("HTTP 401 Unauthorized: API key [redacted] is not valid.", error.Message);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task ChartMogul_MalformedSuccessBodyEchoingTheKey_NeverShowsIt()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(200, $$"""{"uuid":"{{ApiKey}}","name":[{{Basic}}"""));
        using var recorder = new ActivityRecorder();
        using var client = ChartMogul(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.InvalidResponse, error.Kind);
        Assert.NotNull(error.ResponseBody);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task ChartMogul_ErrorBodyCutInTheMiddleOfTheKey_KeepsNoPartOfIt()
    {
        // The body is kept up to 16 K characters; the key straddles the cut.
        var body = new string('x', BillingImportsApiException.MaxResponseBodyLength - 12) + ApiKey + " is not valid";
        using var server = new HostileServer((_, response) => response.SendAsync(403, body, "text/plain"));
        using var recorder = new ActivityRecorder();
        using var client = ChartMogul(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(Uuid, cancellationToken: TestContext.Token));

        Assert.DoesNotContain(ApiKey[..12], error.ResponseBody, StringComparison.Ordinal);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task ChartMogul_WaitOnAStatusEchoingTheKey_TimesOutWithoutShowingIt()
    {
        using var server = new HostileServer((_, response) => response.SendAsync(200, $$"""{"uuid":"{{Uuid}}","name":"x","status":"working for {{ApiKey}}"}"""));
        using var recorder = new ActivityRecorder();
        using var client = ChartMogul(server);
        var options = new PollingOptions { TimeProvider = new VirtualTime(), Timeout = TimeSpan.FromSeconds(3) };

        var timeout = await Assert.ThrowsAnyAsync<PollingTimeoutException>(() => client.DataSources.WaitForCompletionAsync(Uuid, options, cancellationToken: TestContext.Token));

        Assert.Contains("working for [redacted]", timeout.Message, StringComparison.Ordinal);
        AssertNoSecret(timeout, recorder);
    }

    [Fact]
    public async Task ElasticPath_TokenEndpointEchoingTheClientSecret_NeverShowsIt()
    {
        using var server = new HostileServer((request, response) => response.SendAsync(
            401,
            $$"""{"errors":[{"status":"401","title":"Unauthorized","detail":"Client secret {{ClientSecret}} is not valid (sent: {{request.Body}})"}]}""",
            "application/json",
            ("X-Echo", request.Body)));
        using var recorder = new ActivityRecorder();
        using var client = ElasticPath(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal(ApiErrorKind.Unauthorized, error.Kind);
        Assert.Contains("is not valid", error.ToString(), StringComparison.Ordinal);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task ElasticPath_ApiErrorEchoingTheToken_NeverShowsIt()
    {
        using var server = new HostileServer((request, response) => request.Path == "/oauth/access_token"
            ? response.SendAsync(200, $$"""{"access_token":"{{Token}}","expires_in":3600}""")
            : response.SendAsync(404, $$"""{"errors":[{"status":404,"title":"Not Found","detail":"Token {{Token}} cannot see this import"}]}""", "application/json", ("X-Seen-Authorization", request.Authorization ?? string.Empty)));
        using var recorder = new ActivityRecorder();
        using var client = ElasticPath(server);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));

        Assert.Equal(ApiErrorKind.NotFound, error.Kind);
        Assert.Equal("Bearer " + Token, server.Requests.Single(r => r.Method == "GET").Authorization);
        AssertNoSecret(error, recorder);
    }

    [Fact]
    public async Task ElasticPath_TokenRepeatedByTheTokenEndpoint_IsStillUsable()
    {
        // The API rejects the first token once, so the client exchanges again and gets the same
        // token, which its scrubber now knows: the token endpoint's own body must not be scrubbed, or
        // the client would go on with "[redacted]".
        var gets = 0;
        using var server = new HostileServer((request, response) => request.Path == "/oauth/access_token"
            ? response.SendAsync(200, $$"""{"access_token":"{{Token}}","expires_in":3600}""")
            : Interlocked.Increment(ref gets) > 1 && request.Authorization == "Bearer " + Token
                ? response.SendAsync(200, Reply.ImportJson(ImportId, "success", 1, 1))
                : response.SendAsync(401, """{"errors":[{"status":401,"title":"Unauthorized"}]}"""));
        using var client = ElasticPath(server);

        var import = await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);

        Assert.Equal(ImportId, import.Id);
        Assert.Equal(2, server.RequestCount("/oauth/access_token"));
    }

    private ChartMogulClient ChartMogul(HostileServer server) => new(
        new ChartMogulClientOptions
        {
            ApiKey = ApiKey,
            BaseAddress = server.BaseAddress,
            Retry = new RetryOptions { MaxRetries = 0 },
        },
        _logs,
        null);

    private ElasticPathClient ElasticPath(HostileServer server) => new(
        new ElasticPathClientOptions
        {
            ClientId = "client-id",
            ClientSecret = ClientSecret,
            BaseAddress = server.BaseAddress,
            Retry = new RetryOptions { MaxRetries = 0 },
        },
        _logs,
        null);

    private void AssertNoSecret(Exception error, ActivityRecorder recorder)
    {
        var places = new List<(string Where, string Text)>
        {
            ("message", error.Message),
            ("ToString()", error.ToString()),
        };
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            places.Add(("inner message", inner.Message));
        }

        if (error is BillingImportsApiException api)
        {
            places.Add(("ResponseBody", api.ResponseBody ?? string.Empty));
            places.AddRange(api.ResponseHeaders.Select(header => ("header " + header.Key, string.Join(' ', header.Value))));
            places.AddRange(api.Errors.Select(item => ("error", $"{item.Code} {item.Title} {item.Detail} {item.Field} {string.Join(' ', item.MissingIds)} {string.Join(' ', item.Extra.Values)}")));
        }

        places.AddRange(_logs.Lines.Select(line => ("log", line)));
        foreach (var span in recorder.Stopped)
        {
            places.Add(("span", span.DisplayName + " " + string.Join(' ', span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))));
            places.AddRange(span.Events.Select(e => ("span event", e.Name + " " + string.Join(' ', e.Tags.Select(tag => $"{tag.Key}={tag.Value}")))));
        }

        Assert.NotEmpty(_logs.Lines);
        foreach (var (where, text) in places)
        {
            foreach (var secret in Secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"A secret appears in the {where}: {text}");
            }
        }
    }
}
