using System.Diagnostics;

namespace BillingImports;

/// <summary>The SDK's one activity source: HTTP call spans and wait spans share it, so one listener sees both.</summary>
internal static class BillingImportsDiagnostics
{
    public const string SourceName = "BillingImports";

    public static ActivitySource ActivitySource { get; } = new(SourceName);
}
