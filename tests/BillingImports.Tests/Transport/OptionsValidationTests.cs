namespace BillingImports.Tests.Transport;

/// <summary>Values a client cannot work with are named when the client is built, never thrown later from inside a call.</summary>
public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void MaxResponseBodySizeOutOfRange_IsNamed(long size)
    {
        var options = new ChartMogulClientOptions { ApiKey = "key-0123456789", MaxResponseBodySize = size };

        var error = Assert.Throws<ArgumentException>(() => new ChartMogulClient(options));

        Assert.Contains("MaxResponseBodySize", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(BillingImportsClientOptions.Timeout))]
    [InlineData(nameof(RetryOptions.MaxDelay))]
    [InlineData(nameof(RetryOptions.MaxRetryAfter))]
    public void DurationsBeyondAnyTimer_AreNamed(string property)
    {
        // A timer takes at most about 49.7 days; a longer one would throw from inside the first call.
        var options = new ElasticPathClientOptions { ClientId = "id", ClientSecret = "secret-0123456789" };
        switch (property)
        {
            case nameof(BillingImportsClientOptions.Timeout): options.Timeout = TimeSpan.FromDays(60); break;
            case nameof(RetryOptions.MaxDelay): options.Retry.MaxDelay = TimeSpan.FromDays(60); break;
            default: options.Retry.MaxRetryAfter = TimeSpan.MaxValue; break;
        }

        var error = Assert.Throws<ArgumentException>(() => new ElasticPathClient(options));

        Assert.Contains(property, error.Message, StringComparison.Ordinal);
    }
}
