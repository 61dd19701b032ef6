using System.Globalization;
using Microsoft.Extensions.Options;

namespace BillingImports.AotWorker;

/// <summary>
/// Reads a ChartMogul data source, waits for an Elastic Path import to finish, prints both, and
/// stops the host with an exit code: 0 done, 1 the import failed, 2 an API error, 3 timed out.
/// </summary>
internal sealed class ImportWatcher(
    IDataSourcesClient dataSources,
    ISubscriptionImportsClient imports,
    IOptions<ElasticPathClientOptions> elasticPath,
    IOptions<WatchOptions> watch,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Environment.ExitCode = await WatchAsync(stoppingToken);
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        var settings = elasticPath.Value;
        var target = watch.Value;

        // What configuration bound, nested sections included; secrets are shown only as set or not.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Elastic Path options: client id {settings.ClientId}, secret {(string.IsNullOrEmpty(settings.ClientSecret) ? "not set" : "set")}, region {settings.Region}, timeout {settings.Timeout}, token refresh margin {settings.TokenRefreshMargin}, user agent {settings.UserAgent}, retries {settings.Retry.MaxRetries} (base delay {settings.Retry.BaseDelay}, max delay {settings.Retry.MaxDelay}, jitter {settings.Retry.Jitter})"));

        try
        {
            var source = await dataSources.GetDataSourceAsync(target.DataSourceUuid, withProcessingStatus: true, cancellationToken: cancellationToken);
            Console.WriteLine($"Data source {source.Uuid}: {source.Name} is {source.Status}.");
            Console.WriteLine($"Processing: {source.ProcessingStatus?.Processed ?? 0} processed, {source.ProcessingStatus?.Pending ?? 0} pending.");

            var polling = new PollingOptions { InitialInterval = target.PollInterval, MaxInterval = target.PollInterval, Timeout = target.Timeout };
            var progress = new SynchronousProgress<ImportProgress>(p =>
                Console.WriteLine($"Import {target.ImportId}: {p.Status} {p.Imported}/{p.Uploaded} records (poll {p.Attempt})"));
            var import = await imports.WaitForCompletionAsync(target.ImportId, polling, progress, cancellationToken);
            Console.WriteLine($"Done: import {import.Id} finished with status {import.Status}.");
            return 0;
        }
        catch (ImportFailedException failed)
        {
            Console.Error.WriteLine($"Failed: {failed.Message}");
            return 1;
        }
        catch (BillingImportsApiException error)
        {
            Console.Error.WriteLine($"Error: {error.Message}");
            return 2;
        }
        catch (PollingTimeoutException timeout)
        {
            Console.Error.WriteLine($"Timed out: {timeout.Message}");
            return 3;
        }
    }

    /// <summary>Reports on the caller's thread, so progress lines print in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
