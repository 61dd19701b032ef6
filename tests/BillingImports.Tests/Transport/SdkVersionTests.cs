using System.Reflection;

namespace BillingImports.Tests.Transport;

/// <summary>The version the build writes as a constant is the one the assembly carries.</summary>
public sealed class SdkVersionTests
{
    [Fact]
    public void Value_IsTheAssemblysInformationalVersionWithoutItsSourceRevision()
    {
        var informational = typeof(ChartMogulClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(SdkVersion.Value, informational.Split('+')[0]);
    }

    [Fact]
    public void ProductTokenActivitySourceAndMeter_CarryTheVersion()
    {
        Assert.Equal("BillingImports/" + SdkVersion.Value, Pipeline.ProductToken);
        Assert.Equal(SdkVersion.Value, BillingImportsDiagnostics.ActivitySource.Version);
        Assert.Equal(SdkVersion.Value, BillingImportsDiagnostics.Meter.Version);
        Assert.DoesNotContain('+', SdkVersion.Value);
    }
}
