using System.Diagnostics;

namespace BillingImports.Cli;

/// <summary>
/// Tells which request a transport failure belongs to ("the token request", "the import request"),
/// from the spans the SDK emits on its <c>BillingImports</c> activity source: the SDK's network
/// error names only the host, and the Elastic Path token exchange goes to the same host as the API.
/// Only spans under this tracker's own root span are read, so calls elsewhere in the process
/// (other commands, tests running in parallel) are never mixed in.
/// </summary>
internal sealed class FailedRequestTracker : IDisposable
{
    private const string SdkSourceName = "BillingImports";
    private const string SourceName = "BillingImports.Cli";
    private static readonly ActivitySource Source = new(SourceName);

    private readonly Lock _gate = new();
    private readonly ActivityListener _listener;
    private readonly Activity? _root;
    private string? _failedToken;
    private string? _failedCall;

    public FailedRequestTracker()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SourceName or SdkSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Source.Name == SourceName || (_root is { } root && options.Parent.TraceId == root.TraceId)
                    ? ActivitySamplingResult.AllData
                    : ActivitySamplingResult.None,
            ActivityStopped = activity =>
            {
                if (_root is { } root && activity.TraceId == root.TraceId && activity != root)
                {
                    Observe(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
        _root = Source.StartActivity("billing-imports");
    }

    /// <summary>The request whose failure ended the last failed call, such as "the token request"; null when none failed.</summary>
    public string? FailedRequest
    {
        get
        {
            lock (_gate)
            {
                return _failedCall ?? _failedToken;
            }
        }
    }

    public void Dispose()
    {
        _root?.Dispose();
        _listener.Dispose();
    }

    /// <summary>
    /// Reads one stopped SDK span. A token exchange runs inside the API call that needed the token,
    /// so its span stops first: a failed exchange is remembered and charged to the API call that then
    /// fails; a call that succeeds (after a retry, say) clears it.
    /// </summary>
    internal void Observe(Activity activity)
    {
        if (activity.GetTagItem("billing_imports.api") is not string api)
        {
            return;
        }

        var failed = activity.Status == ActivityStatusCode.Error;
        lock (_gate)
        {
            if (api.EndsWith("-token", StringComparison.Ordinal))
            {
                _failedToken = failed ? "the token request" : null;
                return;
            }

            if (failed)
            {
                _failedCall = _failedToken ?? Describe(activity.GetTagItem("url.template") as string);
            }

            _failedToken = null;
        }
    }

    private static string Describe(string? template) => template switch
    {
        "/v2/subscriptions/imports/{import_uuid}" => "the import request",
        "/v1/data_sources/{data_source_uuid}" => "the data source request",
        _ => "the request",
    };
}
