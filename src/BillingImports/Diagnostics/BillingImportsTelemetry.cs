namespace BillingImports;

/// <summary>
/// The names under which the SDK reports telemetry, for OpenTelemetry and other listeners:
/// <c>builder.AddSource(BillingImportsTelemetry.ActivitySourceName)</c> and
/// <c>builder.AddMeter(BillingImportsTelemetry.MeterName)</c>. Nothing is recorded, formatted or
/// allocated for a signal nobody listens to.
/// </summary>
public static class BillingImportsTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of every HTTP call span and every wait span.</summary>
    public const string ActivitySourceName = "BillingImports";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the SDK's metrics.</summary>
    public const string MeterName = "BillingImports";
}
