namespace BillingImports.AotWorker;

/// <summary>What the worker reads and waits for (the <c>Watch</c> section).</summary>
internal sealed class WatchOptions
{
    public string DataSourceUuid { get; set; } = string.Empty;

    public string ImportId { get; set; } = string.Empty;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
}
