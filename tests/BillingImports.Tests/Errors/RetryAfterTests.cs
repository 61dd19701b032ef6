using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace BillingImports.Tests.Errors;

/// <summary>Retry-After in both forms, through the clients and through the reader with a fixed clock.</summary>
public sealed class RetryAfterTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RetryAfter_DeltaSeconds_Parsed()
    {
        var error = await server.ImportFailsAsync(429, """{"errors":[{"status":429,"title":"Too Many Requests"}]}""", "application/json", ("Retry-After", "120"));

        Assert.Equal(TimeSpan.FromMinutes(2), error.RetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(2), error.GetRetryAfter());
        Assert.Equal("HTTP 429 Too Many Requests.", error.Message);
    }

    [Fact]
    public async Task RetryAfter_HttpDateThroughClient_MeasuredFromServerDate()
    {
        // WireMock (Kestrel) sends its own Date header; the Retry-After date is 90 s after it.
        var id = server.Import(503, "Service Unavailable", "text/plain");
        using var probe = await server.Http.GetAsync(new Uri($"v2/subscriptions/imports/{id}", UriKind.Relative));
        var serverNow = probe.Headers.Date ?? DateTimeOffset.UtcNow;
        var retryAt = serverNow.AddSeconds(90).ToString("r", CultureInfo.InvariantCulture);

        var error = await server.ImportFailsAsync(503, "Service Unavailable", "text/plain", ("Retry-After", retryAt));

        Assert.NotNull(error.RetryAfter);
        Assert.InRange(error.RetryAfter.Value, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task RetryAfter_HttpDateWithoutDateHeader_MeasuredFromTimeProvider()
    {
        using var response = Response("Sun, 22 Nov 2026 09:02:30 GMT");

        var error = await ErrorResponseReader.CreateAsync(response, new FakeTimeProvider(Now), Support.TestContext.Token);

        Assert.Equal(TimeSpan.FromSeconds(150), error.RetryAfter);
    }

    [Fact]
    public async Task RetryAfter_HttpDateWithDateHeader_MeasuredFromDateHeaderNotLocalClock()
    {
        using var response = Response("Sun, 22 Nov 2026 09:02:30 GMT");
        response.Headers.Date = new DateTimeOffset(2026, 11, 22, 9, 2, 0, TimeSpan.Zero);

        // The local clock is an hour off; the server's own Date header is the reference.
        var error = await ErrorResponseReader.CreateAsync(response, new FakeTimeProvider(Now.AddHours(1)), Support.TestContext.Token);

        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData(" 30 ", 30)]
    [InlineData("1.5", 1.5)]
    [InlineData("Sun, 22 Nov 2026 09:01:00 GMT", 60)]
    [InlineData("Sunday, 22-Nov-26 09:01:00 GMT", 60)]
    [InlineData("Sun Nov 22 09:01:00 2026", 60)]
    [InlineData("Sun, 22 Nov 2026 08:00:00 GMT", 0)]
    public void Parse_BothForms_MeasuredFromNow(string value, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterParser.Parse(value, Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("2026-11-22 09:01:00")]
    public void Parse_Unreadable_Null(string? value)
    {
        Assert.Null(RetryAfterParser.Parse(value, Now));
    }

    [Fact]
    public void Parse_HugeDelta_ClampedInsteadOfOverflowing()
    {
        var wait = RetryAfterParser.Parse("99999999999999999", Now);

        Assert.NotNull(wait);
        Assert.True(wait > TimeSpan.FromDays(365 * 100));
    }

    [Fact]
    public async Task RetryAfter_Absent_Null()
    {
        var error = await server.DataSourceFailsAsync(429, """{"code":429,"message":"Your request rate has exceeded our rate limit.","param":null}""");

        Assert.Null(error.RetryAfter);
        Assert.True(error.IsRateLimited());
    }

    private static HttpResponseMessage Response(string retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent(string.Empty) };
        response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        return response;
    }
}
