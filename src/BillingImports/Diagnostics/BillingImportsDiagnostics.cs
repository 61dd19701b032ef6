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
    private static readonly string? Version =
        typeof(BillingImportsDiagnostics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static ActivitySource ActivitySource { get; } = new(BillingImportsTelemetry.ActivitySourceName, Version);

    public static Meter Meter { get; } = new(BillingImportsTelemetry.MeterName, Version);
}
