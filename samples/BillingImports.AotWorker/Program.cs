using BillingImports;
using BillingImports.AotWorker;

// Settings come from appsettings.json next to the executable, then the environment
// (ElasticPath__ClientSecret, ElasticPath__BaseAddress, ChartMogul__ApiKey, ...).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddChartMogulClient(builder.Configuration.GetSection("ChartMogul"));
builder.Services.AddElasticPathClient(builder.Configuration.GetSection("ElasticPath"));
builder.Services.Configure<WatchOptions>(builder.Configuration.GetSection("Watch"));
builder.Services.AddHostedService<ImportWatcher>();

using var host = builder.Build();
try
{
    await host.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException invalid)
{
    // ValidateOnStart: missing or invalid settings stop the host before any request, every problem named.
    Console.Error.WriteLine($"Invalid settings: {invalid.Message}");
    return 2;
}

return Environment.ExitCode;
