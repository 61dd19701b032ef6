using System.Globalization;
using BillingImports.Benchmarks.Support;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;

namespace BillingImports.Benchmarks;

/// <summary>
/// What each part of the SDK's pipeline allocates per call: the generated client over the SDK's own
/// primary handler and HttpClient settings with no handler at all, then the same with the pipeline's
/// handlers added from the wire outwards, one step at a time, each step's handlers taken from the
/// pipeline the clients build. Allocations only, which are exact; times on a shared machine come
/// from the paired comparison.
/// </summary>
public static class PipelineBreakdown
{
    public static async Task RunAsync(TextWriter output, int calls)
    {
        await using var server = await LoopbackServer.StartAsync().ConfigureAwait(false);
        var services = ClientServices.From(null, null);

        var chartMogul = new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = server.BaseAddress };
        var chartMogulSteps = new (string Name, Func<List<DelegatingHandler>, IEnumerable<DelegatingHandler>> Take)[]
        {
            ("no handler (the SDK's primary handler and HttpClient settings)", _ => []),
            ("+ Basic auth, credential origin (synchronous)", all => all.Where(h => h is ChartMogulBasicAuthenticationHandler or CredentialOriginHandler)),
            ("+ retries, attempt timeout, body read and scrub, redirects handed to Kiota's RedirectHandler", all => all.Where(h => h is not TelemetryHandler)),
            ("+ telemetry, nobody listening (the SDK)", all => all),
        };
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Allocated per call over {calls:N0} sequential calls, the pipeline added from the wire outwards.")).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("| data source | allocated per call | step |").ConfigureAwait(false);
        await output.WriteLineAsync("| --- | --- | --- |").ConfigureAwait(false);
        double? previous = null;
        foreach (var (name, take) in chartMogulSteps)
        {
            using var http = Pipeline.CreateClient(chartMogul, [.. take(Pipeline.ChartMogulHandlers(chartMogul, services))]);
            var client = new DataSourcesClient(http);
            var bytes = await MeasureAsync(() => client.GetDataSourceAsync(Payloads.DataSourceUuid), calls).ConfigureAwait(false);
            await WriteRowAsync(output, name, bytes, previous).ConfigureAwait(false);
            previous = bytes;
        }

        var elasticPath = new ElasticPathClientOptions { ClientId = "benchmark-id", ClientSecret = "benchmark-secret-0123456789", BaseAddress = server.BaseAddress };
        HttpClient? tokenHttp = null;
        using var tokens = new ElasticPathAccessTokenProvider(elasticPath, () => tokenHttp!, services);
        tokenHttp = Pipeline.CreateClient(elasticPath, Pipeline.TokenHandlers(elasticPath, tokens.Secrets, services));
        using var tokenClient = tokenHttp;
        var elasticPathSteps = new (string Name, Func<List<DelegatingHandler>, IEnumerable<DelegatingHandler>> Take)[]
        {
            ("no handler, a bearer token added by hand", _ => [new FixedBearer()]),
            ("Kiota's AuthorizationHandler, credential origin", all => all.Where(h => h is AuthorizationHandler or CredentialOriginHandler)),
            ("+ retries, attempt timeout, body read and scrub, token rejection, redirects handed to Kiota's RedirectHandler", all => all.Where(h => h is not TelemetryHandler)),
            ("+ telemetry, nobody listening (the SDK)", all => all),
        };
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("| import | allocated per call | step |").ConfigureAwait(false);
        await output.WriteLineAsync("| --- | --- | --- |").ConfigureAwait(false);
        previous = null;
        foreach (var (name, take) in elasticPathSteps)
        {
            using var http = Pipeline.CreateClient(elasticPath, [.. take(Pipeline.ElasticPathHandlers(elasticPath, tokens, services))]);
            var client = new SubscriptionImportsClient(http);
            var bytes = await MeasureAsync(() => client.GetImportAsync(Payloads.ImportId), calls).ConfigureAwait(false);
            await WriteRowAsync(output, name, bytes, previous).ConfigureAwait(false);
            previous = bytes;
        }
    }

    private static async Task<double> MeasureAsync(Func<Task> call, int calls)
    {
        for (var i = 0; i < 1_000; i++)
        {
            await call().ConfigureAwait(false);
        }

        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < calls; i++)
        {
            await call().ConfigureAwait(false);
        }

        return (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)calls;
    }

    private static Task WriteRowAsync(TextWriter output, string name, double bytes, double? previous) =>
        output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"| {name} | {bytes:N0} B | {(previous is { } p ? (bytes - p).ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture) + " B" : "")} |"));

    /// <summary>The loopback server's token, as a header set by hand: the call without any auth machinery (also <see cref="PipelineOverheadBenchmarks"/>' baseline).</summary>
    internal sealed class FixedBearer : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Payloads.AccessToken);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
