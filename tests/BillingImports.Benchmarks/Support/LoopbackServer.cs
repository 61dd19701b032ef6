using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BillingImports.Benchmarks.Support;

/// <summary>
/// Kestrel on 127.0.0.1 answering every endpoint with fixed bodies, in a child process (this
/// executable with <c>serve</c>), so every client pays the same server cost and the allocations
/// measured in the benchmark process are the client's alone.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly Process _process;

    private LoopbackServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the server process and waits for the address it listens on.</summary>
    public static async Task<LoopbackServer> StartAsync()
    {
        var assembly = typeof(LoopbackServer).Assembly.Location;
        var host = Environment.ProcessPath!;

        // Run as `dotnet app.dll` or as the app host: the child is started the same way.
        var start = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host) { ArgumentList = { assembly, "serve" } }
            : new ProcessStartInfo(host) { ArgumentList = { "serve" } };
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException("The loopback server did not start.");
        var line = await process.StandardOutput.ReadLineAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("The loopback server ended before it listened.");
        return new LoopbackServer(process, new Uri(line));
    }

    /// <summary>
    /// The child's side: serves until its standard input closes (the parent disposed it or died),
    /// after writing its address as the first line of standard output.
    /// </summary>
    public static async Task ServeAsync(TextWriter output, TextReader input)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/v1/data_sources/{uuid}", () => Results.Bytes(Payloads.DataSource, "application/json"));
        app.MapGet("/v2/subscriptions/imports/{id}", () => Results.Bytes(Payloads.SmallImport, "application/json"));
        app.MapGet("/v2/subscriptions/imports/{id}/errors", () => Results.Bytes(Payloads.ImportErrors, "application/json"));
        app.MapPost("/oauth/access_token", () => Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Payloads.AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["expires"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
        }));
        await app.StartAsync().ConfigureAwait(false);
        await output.WriteLineAsync(app.Urls.First() + "/").ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
        await input.ReadToEndAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }
}
