using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BillingImports;

/// <summary>
/// The SDK's one activity source and one meter: HTTP call spans and wait spans share the source, so
/// one listener sees both. The names are public on <see cref="BillingImportsTelemetry"/>.
/// </summary>
internal static class BillingImportsDiagnostics
{
    public static ActivitySource ActivitySource { get; } = new(BillingImportsTelemetry.ActivitySourceName, SdkVersion.Value);

    public static Meter Meter { get; } = new(BillingImportsTelemetry.MeterName, SdkVersion.Value);
}

/// <summary>
/// The SDK's version (the informational version without its source revision), for the product
/// token, the activity source and the meter: <c>Value</c>, a constant eng/SdkVersion.targets writes
/// at build time.
/// </summary>
internal static partial class SdkVersion;
