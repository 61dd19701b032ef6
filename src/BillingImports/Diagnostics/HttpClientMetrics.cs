using System.Diagnostics.Metrics;

namespace BillingImports;

/// <summary>
/// The SDK's HTTP client metric, as OpenTelemetry's HTTP semantic conventions name it, on the SDK's
/// one meter. Recorded once per call by the telemetry handler, retries included, and only while a
/// listener has enabled it.
/// </summary>
internal static class HttpClientMetrics
{
    /// <summary>The instrument's name in the conventions.</summary>
    public const string RequestDurationName = "http.client.request.duration";

    /// <summary>The conventions' advice for this histogram, in seconds.</summary>
    private static readonly double[] BucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>How long a call took, from the first byte sent to the whole body in, every retry and backoff included.</summary>
    public static Histogram<double> RequestDuration { get; } = BillingImportsDiagnostics.Meter.CreateHistogram(
        RequestDurationName,
        unit: "s",
        description: "Duration of HTTP client requests.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = BucketBoundaries });
}
