namespace BillingImports;

/// <summary>Options for <see cref="ChartMogulClient"/>.</summary>
public sealed class ChartMogulClientOptions : BillingImportsClientOptions
{
    private static readonly Uri Production = new("https://api.chartmogul.com/");

    /// <summary>The ChartMogul API key, sent as the Basic user name with an empty password. Required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>40 requests a second: ChartMogul's documented limit, above which it answers 429.</summary>
    public override int DocumentedMaxRequestsPerSecond => 40;

    /// <summary>The production API, <c>https://api.chartmogul.com/</c>.</summary>
    public override Uri DefaultBaseAddress => Production;

    /// <summary>Describes the options with the API key redacted.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"ChartMogulClientOptions {{ BaseAddress = {DescribeAddress(Production)}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "[redacted]")}, Timeout = {Timeout} }}";

    private protected override void AddProblems(List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(ApiKey))
        {
            problems.Add("ApiKey is required (the ChartMogul API key).");
        }

        base.AddProblems(problems);
    }
}
