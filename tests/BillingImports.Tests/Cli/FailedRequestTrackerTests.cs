using System.Diagnostics;
using BillingImports.Cli;

namespace BillingImports.Tests.Cli;

/// <summary>
/// Which request a transport failure is charged to, from the SDK's spans. The spans are made by
/// hand and handed to the tracker directly, so no listener in the process sees them.
/// </summary>
public sealed class FailedRequestTrackerTests : IDisposable
{
    private readonly FailedRequestTracker _tracker = new();

    public void Dispose() => _tracker.Dispose();

    [Fact]
    public void FailedTokenExchange_ThenTheImportCallFails_NamesTheTokenRequest()
    {
        _tracker.Observe(Span("elasticpath-token", "/oauth/access_token", failed: true));
        _tracker.Observe(Span("elasticpath", "/v2/subscriptions/imports/{import_uuid}", failed: true));

        Assert.Equal("the token request", _tracker.FailedRequest);
    }

    [Fact]
    public void TokenExchangeSucceeds_ThenTheImportCallFails_NamesTheImportRequest()
    {
        _tracker.Observe(Span("elasticpath-token", "/oauth/access_token", failed: false));
        _tracker.Observe(Span("elasticpath", "/v2/subscriptions/imports/{import_uuid}", failed: true));

        Assert.Equal("the import request", _tracker.FailedRequest);
    }

    [Fact]
    public void FailedTokenExchange_RecoveredByTheCall_IsNotChargedToALaterFailure()
    {
        _tracker.Observe(Span("elasticpath-token", "/oauth/access_token", failed: true));
        _tracker.Observe(Span("elasticpath", "/v2/subscriptions/imports/{import_uuid}", failed: false));
        _tracker.Observe(Span("chartmogul", "/v1/data_sources/{data_source_uuid}", failed: true));

        Assert.Equal("the data source request", _tracker.FailedRequest);
    }

    [Fact]
    public void NoFailedSpan_NamesNoRequest()
    {
        _tracker.Observe(Span("chartmogul", "/v1/data_sources/{data_source_uuid}", failed: false));
        _tracker.Observe(new Activity("BillingImports.Wait import"));

        Assert.Null(_tracker.FailedRequest);
    }

    private static Activity Span(string api, string template, bool failed)
    {
        var span = new Activity("GET " + template);
        span.SetTag("billing_imports.api", api);
        span.SetTag("url.template", template);
        span.SetStatus(failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok);
        return span;
    }
}
