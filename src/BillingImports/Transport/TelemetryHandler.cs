using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace BillingImports;

/// <summary>
/// One span, one <c>http.client.request.duration</c> measurement and one log event per call,
/// outermost in the pipeline so they cover retries, named and tagged as OpenTelemetry's HTTP client
/// conventions say. Only the method, the address, the path template, the path and the status are
/// recorded: never a header, a query string (<c>url.full</c> carries <c>?*</c> in its place) or a
/// body, so no credential or token can reach a trace, a metric or a log.
/// When nobody listens (no activity listener, the histogram disabled, the logger off) the call
/// passes straight through: no span, no timestamp, no tag, no state machine.
/// </summary>
internal sealed partial class TelemetryHandler(string api, TimeProvider time, ILogger logger) : DelegatingHandler
{
    private const string DataSourceTemplate = "/v1/data_sources/{data_source_uuid}";
    private const string ImportTemplate = "/v2/subscriptions/imports/{import_uuid}";
    private const string ImportErrorsTemplate = "/v2/subscriptions/imports/{import_uuid}/errors";
    private const string ImportsPrefix = "/v2/subscriptions/imports/";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        BillingImportsDiagnostics.ActivitySource.HasListeners() || HttpClientMetrics.RequestDuration.Enabled || logger.IsEnabled(LogLevel.Warning) || logger.IsEnabled(LogLevel.Debug)
            ? SendObservedAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        var template = PathTemplate(uri);
        var method = request.Method.Method;
        using var activity = BillingImportsDiagnostics.ActivitySource.HasListeners()
            ? BillingImportsDiagnostics.ActivitySource.StartActivity(SpanName(method, template), ActivityKind.Client)
            : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("billing_imports.api", api);
            activity.SetTag("http.request.method", method);
            activity.SetTag("server.address", uri?.Host);
            activity.SetTag("server.port", Boxes.Of(uri?.Port));
            activity.SetTag("url.full", RedactedUrl(uri));
            activity.SetTag("url.template", template);
        }

        var started = time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var retries = request.Options.TryGetValue(TransientRetryHandler.RetriesKey, out var count) ? count : 0;
            var elapsed = time.GetElapsedTime(started);
            var errorType = status >= 400 ? Boxes.StatusText(status) : null;
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag("http.response.status_code", Boxes.Of(status));
                activity.SetTag("billing_imports.retries", Boxes.Of(retries));
                if (retries > 0)
                {
                    activity.SetTag("http.request.resend_count", Boxes.Of(retries));
                }

                if (errorType is not null)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                    activity.SetTag("error.type", errorType);
                }
            }

            Record(elapsed, method, uri, template, status, errorType);
            if (!response.IsSuccessStatusCode)
            {
                LogFailed(logger, api, method, template, status, elapsed.TotalMilliseconds, retries);
            }
            else
            {
                LogCompleted(logger, api, method, template, status, elapsed.TotalMilliseconds, retries);
            }

            return response;
        }
        catch (Exception exception)
        {
            var elapsed = time.GetElapsedTime(started);
            var errorType = ErrorType(exception);
            if (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error);
                activity.SetTag("error.type", errorType);
                var retries = request.Options.TryGetValue(TransientRetryHandler.RetriesKey, out var count) ? count : 0;
                if (retries > 0)
                {
                    activity.SetTag("http.request.resend_count", Boxes.Of(retries));
                }
            }

            Record(elapsed, method, uri, template, null, errorType);
            LogException(logger, api, method, template, exception.GetType().Name, elapsed.TotalMilliseconds);
            throw;
        }
    }

    /// <summary>
    /// The path with ids replaced by the spec's parameter names, so spans and metrics group by
    /// operation and no id reaches a metric attribute.
    /// </summary>
    internal static string PathTemplate(Uri? uri)
    {
        var path = uri?.AbsolutePath ?? "/";
        if (path.StartsWith("/v1/data_sources/", StringComparison.Ordinal))
        {
            return DataSourceTemplate;
        }

        if (path.StartsWith(ImportsPrefix, StringComparison.Ordinal))
        {
            // An id is one segment: a '/' in it arrives escaped, so a real one ends the id.
            var rest = path.AsSpan(ImportsPrefix.Length);
            var slash = rest.IndexOf('/');
            return slash < 0 ? ImportTemplate : rest[slash..].SequenceEqual("/errors") ? ImportErrorsTemplate : "/{other}";
        }

        return path.StartsWith("/oauth/", StringComparison.Ordinal) ? path : "/{other}";
    }

    /// <summary>The absolute URL without user info, and with <c>?*</c> in place of any query, as .NET's own HTTP telemetry redacts it.</summary>
    internal static string? RedactedUrl(Uri? uri)
    {
        if (uri is not { IsAbsoluteUri: true })
        {
            return null;
        }

        var url = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length > 0 ? url + "?*" : url;
    }

    /// <summary>
    /// Low-cardinality: the SDK's own failure kind in snake case (<c>timeout</c>, <c>network</c>,
    /// <c>invalid_response</c>), else the exception's type, as the conventions allow.
    /// </summary>
    internal static string ErrorType(Exception exception) => exception switch
    {
        BillingImportsApiException api => api.Kind switch
        {
            ApiErrorKind.Timeout => "timeout",
            ApiErrorKind.Network => "network",
            ApiErrorKind.InvalidResponse => "invalid_response",
            _ => "_OTHER",
        },
        _ => exception.GetType().FullName ?? "_OTHER",
    };

    private static string SpanName(string method, string template) => (method, template) switch
    {
        ("GET", DataSourceTemplate) => "GET " + DataSourceTemplate,
        ("GET", ImportTemplate) => "GET " + ImportTemplate,
        ("GET", ImportErrorsTemplate) => "GET " + ImportErrorsTemplate,
        _ => method + " " + template,
    };

    private static void Record(TimeSpan elapsed, string method, Uri? uri, string template, int? status, string? errorType)
    {
        var histogram = HttpClientMetrics.RequestDuration;
        if (!histogram.Enabled)
        {
            return;
        }

        // Six tags or seven: TagList keeps up to eight inline, so recording allocates nothing.
        var tags = new TagList
        {
            { "http.request.method", method },
            { "server.address", uri?.Host },
            { "server.port", Boxes.Of(uri?.Port) },
            { "url.template", template },
        };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", Boxes.Of(code));
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        histogram.Record(elapsed.TotalSeconds, tags);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "{Api} {Method} {Template} answered {Status} in {ElapsedMs} ms after {Retries} retries")]
    private static partial void LogCompleted(ILogger logger, string api, string method, string template, int status, double elapsedMs, int retries);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Api} {Method} {Template} answered {Status} in {ElapsedMs} ms after {Retries} retries")]
    private static partial void LogFailed(ILogger logger, string api, string method, string template, int status, double elapsedMs, int retries);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Api} {Method} {Template} failed with {ExceptionType} after {ElapsedMs} ms")]
    private static partial void LogException(ILogger logger, string api, string method, string template, string exceptionType, double elapsedMs);

    /// <summary>
    /// Boxed integers for tag values (statuses, ports, retry counts), made once: a listened call
    /// records the same few numbers over and over, and boxing each would allocate on every call.
    /// </summary>
    private static class Boxes
    {
        private static readonly object[] Small = [.. Enumerable.Range(0, 600).Select(i => (object)i)];
        private static readonly string?[] StatusTexts = new string?[600];
        private static object? _lastPort;

        public static object? Of(int? value)
        {
            if (value is not { } number)
            {
                return null;
            }

            if ((uint)number < (uint)Small.Length)
            {
                return Small[number];
            }

            // A client talks to one port: remember the last one boxed.
            var last = Volatile.Read(ref _lastPort);
            if (last is int known && known == number)
            {
                return last;
            }

            object boxed = number;
            Volatile.Write(ref _lastPort, boxed);
            return boxed;
        }

        public static string StatusText(int status)
        {
            if ((uint)status >= (uint)StatusTexts.Length)
            {
                return status.ToString(CultureInfo.InvariantCulture);
            }

            return StatusTexts[status] ??= status.ToString(CultureInfo.InvariantCulture);
        }
    }
}
