using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BillingImports.Benchmarks.Support;

/// <summary>
/// Kestrel on 127.0.0.1 answering both endpoints with fixed bodies, so every client in a benchmark
/// pays the same server cost and the ratios show the client side.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<LoopbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/v1/data_sources/{uuid}", () => Results.Bytes(Payloads.DataSource, "application/json"));
        app.MapGet("/v2/subscriptions/imports/{id}", () => Results.Bytes(Payloads.SmallImport, "application/json"));
        app.MapPost("/oauth/access_token", () => Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = "benchmark-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["expires"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackServer(app, new Uri(app.Urls.First() + "/"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);
}
