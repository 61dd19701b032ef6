using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

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
/// The SDK's version (the informational version without its source revision), read once for the
/// product token, the activity source and the meter.
/// </summary>
internal static class SdkVersion
{
    public static readonly string Value =
        typeof(SdkVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";
}
