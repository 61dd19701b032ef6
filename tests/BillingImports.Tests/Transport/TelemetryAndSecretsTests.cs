using System.Diagnostics;
using System.Text;
using BillingImports.Testing;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

public sealed class TelemetryAndSecretsTests : IDisposable
{
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private const string SourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private readonly FakeBillingServer _server = new(new FakeBillingServerOptions
    {
        ApiKey = "cm-key-4f9a8b7c6d5e4f3a2b1c",
        ClientId = "ep-client-7a6b5c4d",
        ClientSecret = "ep-secret-1f2e3d4c5b6a7980",
    });

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Secrets_NeverAppearInLogsOrExceptions()
    {
        var logs = new CapturingLoggerProvider();
        using var chartMogul = TransportFixture.CreateChartMogul(_server, logs: logs);
        using var elasticPath = TransportFixture.CreateElasticPath(_server, logs: logs);
        _server.Imports.Add("22222222-3333-4444-5555-666666666666").ServerError(polls: 10);
        var failures = new List<Exception>();

        await chartMogul.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);
        await elasticPath.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        failures.Add(await Assert.ThrowsAsync<BillingImportsApiException>(() => elasticPath.SubscriptionImports.GetImportAsync("22222222-3333-4444-5555-666666666666", TestContext.Token)));
        failures.Add(await Assert.ThrowsAsync<BillingImportsApiException>(() => chartMogul.DataSources.GetDataSourceAsync("not-a-uuid", cancellationToken: TestContext.Token)));
        var token = _server.Requests.First(r => r.Path.StartsWith("/v2/", StringComparison.Ordinal)).Authorization!["Bearer ".Length..];

        string[] secrets =
        [
            "cm-key-4f9a8b7c6d5e4f3a2b1c",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("cm-key-4f9a8b7c6d5e4f3a2b1c:")),
            "ep-secret-1f2e3d4c5b6a7980",
            token,
        ];
        var text = string.Join('\n', logs.Lines.Concat(failures.Select(f => f.ToString())));
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, line => line.Contains("Retrying", StringComparison.Ordinal));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EachCall_EmitsOneClientSpanWithTheOperationTemplateAndStatus()
    {
        using var recorder = new BillingImports.Tests.Support.ActivityRecorder();
        using var client = TransportFixture.CreateChartMogul(_server);

        // A trace of this test's own: tests running alongside call other fakes on the same host.
        using var test = new Activity(nameof(EachCall_EmitsOneClientSpanWithTheOperationTemplateAndStatus)).Start();
        await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);
        test.Stop();

        var span = Assert.Single(recorder.Stopped, a => a.TraceId == test.TraceId && a.Kind == ActivityKind.Client && (string?)a.GetTagItem("billing_imports.api") == "chartmogul");

        Assert.Equal("GET /v1/data_sources/{data_source_uuid}", span.DisplayName);
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));

        // The id is in the URL only (url.full names the resource, as the conventions say); the name
        // and every other attribute carry the template, so spans group by operation.
        Assert.DoesNotContain(span.TagObjects, tag => tag.Key != "url.full" && tag.Value?.ToString()?.Contains(SourceUuid, StringComparison.Ordinal) == true);
        Assert.Equal(new Uri(_server.BaseAddress, "v1/data_sources/" + SourceUuid).AbsoluteUri, span.GetTagItem("url.full"));
    }

    [Fact]
    public async Task UserAgent_NamesTheSdkAndTheApplication()
    {
        var options = TransportFixture.ChartMogul(_server);
        options.UserAgent = "reconciler/2.1";
        using var client = TransportFixture.CreateChartMogul(_server, options);

        await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        var headers = _server.WireMock.LogEntries.Single().RequestMessage.Headers!;
        var agent = string.Join(' ', headers.First(h => h.Key.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Contains("BillingImports/", agent, StringComparison.Ordinal);
        Assert.Contains("reconciler/2.1", agent, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipelines_KeepOnlyTheKiotaHandlersThatActOnTheseCalls_WithFreshInstances()
    {
        var options = TransportFixture.ChartMogul(_server);

        var first = Pipeline.ChartMogulHandlers(options, ClientServices.From(null, null));
        var second = Pipeline.ChartMogulHandlers(options, ClientServices.From(null, null));

        Assert.Empty(first.Intersect(second));

        // Kiota's RedirectHandler is engaged by the retry handler only for a redirect (RedirectFollower).
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RedirectHandler);
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler);
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.UserAgentHandler);
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.HeadersInspectionHandler);
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.BodyInspectionHandler);
        Assert.DoesNotContain(first, h => h is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.ParametersNameDecodingHandler);
        Assert.IsType<TelemetryHandler>(first[0]);
        Assert.IsType<TransientRetryHandler>(first[1]);
        Assert.IsType<ChartMogulBasicAuthenticationHandler>(first[^2]);
        Assert.IsType<CredentialOriginHandler>(first[^1]);
    }

    [Fact]
    public void ElasticPathPipeline_AuthenticatesThroughKiotasAuthorizationHandler()
    {
        var options = new ElasticPathClientOptions { ClientId = "id", ClientSecret = "secret-0123456789", BaseAddress = _server.BaseAddress };
        using var tokens = new ElasticPathAccessTokenProvider(options, () => throw new InvalidOperationException("no exchange here"), ClientServices.From(null, null));

        var handlers = Pipeline.ElasticPathHandlers(options, tokens, ClientServices.From(null, null));

        Assert.IsType<Microsoft.Kiota.Http.HttpClientLibrary.Middleware.AuthorizationHandler>(handlers[^2]);
        Assert.IsType<CredentialOriginHandler>(handlers[^1]);
    }
}
