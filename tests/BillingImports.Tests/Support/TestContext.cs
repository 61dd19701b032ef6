namespace BillingImports.Tests.Support;

/// <summary>A token that cancels a test that hangs instead of letting it block the whole run.</summary>
internal static class TestContext
{
    public static CancellationToken Token => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
