using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace BillingImports;

/// <summary>
/// One span and one log event per call, outermost in the pipeline so they cover retries. Only the
/// method, host, path template and status are recorded: never a header, a query string or a body,
/// so no credential or token can reach a trace or a log.
/// </summary>
internal sealed partial class TelemetryHandler(string api, TimeProvider time, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var template = PathTemplate(request.RequestUri);
        var method = request.Method.Method;

        // The span name is built only when someone listens: a call with tracing off allocates nothing here.
        using var activity = BillingImportsDiagnostics.ActivitySource.HasListeners() ? BillingImportsDiagnostics.ActivitySource.StartActivity($"{method} {template}", ActivityKind.Client) : null;
        activity?.SetTag("billing_imports.api", api);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("server.address", request.RequestUri?.Host);
        activity?.SetTag("url.template", template);
        var started = time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var retries = request.Options.TryGetValue(TransientRetryHandler.RetriesKey, out var count) ? count : 0;
            activity?.SetTag("http.response.status_code", status);
            activity?.SetTag("billing_imports.retries", retries);
            var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
                activity?.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                LogFailed(logger, api, method, template, status, elapsedMs, retries);
            }
            else
            {
                LogCompleted(logger, api, method, template, status, elapsedMs, retries);
            }

            return response;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", exception.GetType().FullName);
            var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
            LogException(logger, api, method, template, exception.GetType().Name, elapsedMs);
            throw;
        }
    }

    /// <summary>The path with ids replaced by the spec's parameter names, so spans group by operation.</summary>
    internal static string PathTemplate(Uri? uri)
    {
        var path = uri?.AbsolutePath ?? "/";
        if (path.StartsWith("/v1/data_sources/", StringComparison.Ordinal))
        {
            return "/v1/data_sources/{data_source_uuid}";
        }

        if (path.StartsWith("/v2/subscriptions/imports/", StringComparison.Ordinal))
        {
            return "/v2/subscriptions/imports/{import_uuid}";
        }

        return path.StartsWith("/oauth/", StringComparison.Ordinal) ? path : "/{other}";
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Api} {Method} {Template} answered {Status} in {ElapsedMs} ms after {Retries} retries")]
    private static partial void LogCompleted(ILogger logger, string api, string method, string template, int status, double elapsedMs, int retries);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Api} {Method} {Template} answered {Status} in {ElapsedMs} ms after {Retries} retries")]
    private static partial void LogFailed(ILogger logger, string api, string method, string template, int status, double elapsedMs, int retries);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Api} {Method} {Template} failed with {ExceptionType} after {ElapsedMs} ms")]
    private static partial void LogException(ILogger logger, string api, string method, string template, string exceptionType, double elapsedMs);
}
