using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using BillingImports.Testing;
using BillingImports.Tests.Support;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Transport;

/// <summary>
/// The HTTP client telemetry as OpenTelemetry's conventions shape it: the
/// <c>http.client.request.duration</c> histogram and the client span's attributes. Every test reads
/// only its own server's measurements (by <c>server.port</c>) or its own trace, so tests running
/// alongside cannot interfere.
/// </summary>
public sealed class HttpTelemetryTests : IDisposable
{
    private const string Duration = "http.client.request.duration";
    private const string SourceUuid = "ds_fef05d54-47b4-431b-aed2-eb6b9e545430";
    private const string ImportId = "11111111-2222-3333-4444-555555555555";
    private readonly FakeBillingServer _server = new();

    public void Dispose() => _server.Dispose();

    private int Port => _server.BaseAddress.Port;

    [Fact]
    public async Task RequestDuration_IsOneMeasurementPerCall_WithTheConventionsAttributes()
    {
        using var metrics = new MetricRecorder(Duration);
        using var client = TransportFixture.CreateChartMogul(_server);

        await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        var measurement = Assert.Single(metrics.ForPort(Port));
        Assert.True(measurement.Value >= 0);
        Assert.Equal("GET", measurement.Tags["http.request.method"]);
        Assert.Equal(200, measurement.Tags["http.response.status_code"]);
        Assert.Equal(_server.BaseAddress.Host, measurement.Tags["server.address"]);
        Assert.Equal("/v1/data_sources/{data_source_uuid}", measurement.Tags["url.template"]);
        Assert.False(measurement.Tags.ContainsKey("error.type"));
        Assert.DoesNotContain(measurement.Tags.Values, value => value?.ToString()?.Contains(SourceUuid, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task RequestDuration_IsAHistogramInSeconds_WithTheConventionsBucketAdvice()
    {
        using var metrics = new MetricRecorder(Duration);
        using var client = TransportFixture.CreateChartMogul(_server);
        await client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token);

        var histogram = Assert.IsType<Histogram<double>>(metrics.Instrument);

        Assert.Equal("s", histogram.Unit);
        Assert.Equal([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10], histogram.Advice?.HistogramBucketBoundaries);
    }

    [Fact]
    public async Task RetriedCall_IsOneMeasurementWithTheFinalStatus_AndItsSpanCountsTheResends()
    {
        using var metrics = new MetricRecorder(Duration);
        using var spans = new ActivityRecorder();
        using var client = TransportFixture.CreateElasticPath(_server);
        _server.Imports.Add(ImportId).ServerError(polls: 2).Succeeds();

        using var test = new Activity(nameof(RetriedCall_IsOneMeasurementWithTheFinalStatus_AndItsSpanCountsTheResends)).Start();
        await client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token);
        test.Stop();

        var measurement = Assert.Single(metrics.ForPort(Port), m => (string?)m.Tags["url.template"] == "/v2/subscriptions/imports/{import_uuid}");
        Assert.Equal(200, measurement.Tags["http.response.status_code"]);
        var span = Assert.Single(spans.Stopped, a => a.TraceId == test.TraceId && a.DisplayName == "GET /v2/subscriptions/imports/{import_uuid}");
        Assert.Equal(2, span.GetTagItem("http.request.resend_count"));
        Assert.Equal(Port, span.GetTagItem("server.port"));
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task ErrorAnswer_CarriesItsStatusAsErrorType_OnTheSpanAndTheMetric()
    {
        using var metrics = new MetricRecorder(Duration);
        using var spans = new ActivityRecorder();
        using var client = TransportFixture.CreateElasticPath(_server);
        _server.Imports.Add(ImportId).NotFound();

        using var test = new Activity(nameof(ErrorAnswer_CarriesItsStatusAsErrorType_OnTheSpanAndTheMetric)).Start();
        await Assert.ThrowsAsync<BillingImportsApiException>(() => client.SubscriptionImports.GetImportAsync(ImportId, TestContext.Token));
        test.Stop();

        var measurement = Assert.Single(metrics.ForPort(Port), m => (string?)m.Tags["url.template"] == "/v2/subscriptions/imports/{import_uuid}");
        Assert.Equal("404", measurement.Tags["error.type"]);
        Assert.Equal(404, measurement.Tags["http.response.status_code"]);
        var span = Assert.Single(spans.Stopped, a => a.TraceId == test.TraceId && a.Kind == ActivityKind.Client && a.DisplayName.StartsWith("GET /v2/", StringComparison.Ordinal));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("404", span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task NoAnswer_IsMeasuredWithoutAStatus_AndTheFailureKindAsErrorType()
    {
        using var metrics = new MetricRecorder(Duration);
        var port = ClosedPort();
        var options = TransportFixture.ChartMogul(_server);
        options.BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        options.Retry.MaxRetries = 0;
        using var client = TransportFixture.CreateChartMogul(_server, options);

        var error = await Assert.ThrowsAsync<BillingImportsApiException>(() => client.DataSources.GetDataSourceAsync(SourceUuid, cancellationToken: TestContext.Token));

        Assert.Equal(ApiErrorKind.Network, error.Kind);
        var measurement = Assert.Single(metrics.ForPort(port));
        Assert.Equal("network", measurement.Tags["error.type"]);
        Assert.False(measurement.Tags.ContainsKey("http.response.status_code"));
    }

    [Fact]
    public async Task UrlFull_NamesThePathButNeverTheQuery()
    {
        using var spans = new ActivityRecorder();
        using var client = TransportFixture.CreateChartMogul(_server);

        using var test = new Activity(nameof(UrlFull_NamesThePathButNeverTheQuery)).Start();
        await client.DataSources.GetDataSourceAsync(SourceUuid, withProcessingStatus: true, cancellationToken: TestContext.Token);
        test.Stop();

        var span = Assert.Single(spans.Stopped, a => a.TraceId == test.TraceId && a.Kind == ActivityKind.Client);
        Assert.Equal(new Uri(_server.BaseAddress, "v1/data_sources/" + SourceUuid).AbsoluteUri + "?*", span.GetTagItem("url.full"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("with_processing_status", StringComparison.Ordinal) == true);
        Assert.DoesNotContain("with_processing_status", span.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportErrors_AreReportedUnderTheirOwnTemplate()
    {
        using var metrics = new MetricRecorder(Duration);
        using var spans = new ActivityRecorder();
        using var client = TransportFixture.CreateElasticPath(_server);
        _server.Imports.Add(ImportId).WithErrors(3).Fails();

        using var test = new Activity(nameof(ImportErrors_AreReportedUnderTheirOwnTemplate)).Start();
        await client.SubscriptionImports.ListImportErrorsAsync(ImportId, cancellationToken: TestContext.Token);
        test.Stop();

        Assert.Single(spans.Stopped, a => a.TraceId == test.TraceId && a.DisplayName == "GET /v2/subscriptions/imports/{import_uuid}/errors");
        Assert.Single(metrics.ForPort(Port), m => (string?)m.Tags["url.template"] == "/v2/subscriptions/imports/{import_uuid}/errors");
    }

    [Theory]
    [InlineData("https://useast.api.elasticpath.com/v2/subscriptions/imports/abc/errors?page%5Blimit%5D=10", "/v2/subscriptions/imports/{import_uuid}/errors")]
    [InlineData("https://useast.api.elasticpath.com/v2/subscriptions/imports/abc", "/v2/subscriptions/imports/{import_uuid}")]
    [InlineData("https://useast.api.elasticpath.com/v2/subscriptions/imports/a%2Fb", "/v2/subscriptions/imports/{import_uuid}")]
    [InlineData("https://useast.api.elasticpath.com/v2/subscriptions/imports/abc/other", "/{other}")]
    [InlineData("https://api.chartmogul.com/v1/data_sources/ds_1?with_processing_status=true", "/v1/data_sources/{data_source_uuid}")]
    [InlineData("https://useast.api.elasticpath.com/oauth/access_token", "/oauth/access_token")]
    [InlineData("https://api.chartmogul.com/v9/unknown", "/{other}")]
    public void PathTemplate_NamesEachOperationOfTheSpec(string url, string template) =>
        Assert.Equal(template, TelemetryHandler.PathTemplate(new Uri(url)));

    [Theory]
    [InlineData("https://user:pass@api.chartmogul.com/v1/data_sources/ds_1?with_processing_status=true", "https://api.chartmogul.com/v1/data_sources/ds_1?*")]
    [InlineData("http://127.0.0.1:5000/v2/subscriptions/imports/abc", "http://127.0.0.1:5000/v2/subscriptions/imports/abc")]
    public void RedactedUrl_DropsUserInfoAndQuery(string url, string expected) =>
        Assert.Equal(expected, TelemetryHandler.RedactedUrl(new Uri(url)));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
