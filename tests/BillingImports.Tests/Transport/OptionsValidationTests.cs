using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    [Theory]
    [InlineData("reconciler/2.1\r\nX-Injected: 1")]
    [InlineData("reconciler/2.1\nX-Injected: 1")]
    [InlineData("reconciler/2.1 (unclosed")]
    [InlineData("r\u00e9conciliateur/2.1")]
    public void StandaloneClient_InvalidUserAgent_IsNamedWithoutEchoingIt(string userAgent)
    {
        var options = new ChartMogulClientOptions { ApiKey = "key-0123456789", UserAgent = userAgent };

        var error = Assert.Throws<ArgumentException>(() => new ChartMogulClient(options));

        Assert.Contains("UserAgent must be", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DependencyInjection_InvalidUserAgent_FailsAtStartUpNamingIt()
    {
        var services = new ServiceCollection();
        services.AddElasticPathClient(o => { o.ClientId = "id"; o.ClientSecret = "secret-0123456789"; o.UserAgent = "app/1.0\r\nX-Injected: 1"; });
        await using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("ElasticPathClientOptions: UserAgent must be", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Injected", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reconciler/2.1")]
    [InlineData("reconciler/2.1 (ops; +https://example.com/bot) batch")]
    public void StandaloneClient_ValidUserAgent_IsAccepted(string userAgent)
    {
        using var client = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "key-0123456789", UserAgent = userAgent });

        Assert.NotNull(client.DataSources);
    }
}
