using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BillingImports;

/// <summary>
/// The wait's span and metrics on the SDK's activity source and meter. A wait that ends in
/// <c>failed</c>, a timeout or an error has status Error; every wait that ends records its duration
/// and its polls, tagged with the resource kind and the outcome. Nothing is built for a signal no
/// one listens to.
/// </summary>
internal static class WaitTelemetry
{
    public const string ResourceKindTag = "billing_imports.resource.kind";
    public const string ResourceIdTag = "billing_imports.resource.id";
    public const string AttemptsTag = "billing_imports.wait.attempts";
    public const string FinalStatusTag = "billing_imports.wait.final_status";
    public const string OutcomeTag = "billing_imports.wait.outcome";

    /// <summary>The outcome tag of a wait its caller cancelled or abandoned before it ended.</summary>
    public const string Cancelled = "cancelled";

    private static readonly Histogram<double> Duration = BillingImportsDiagnostics.Meter.CreateHistogram(
        "billing_imports.wait.duration",
        unit: "s",
        description: "How long waits ran, from the first poll to the end, by resource kind and outcome.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400] });

    private static readonly Histogram<int> Polls = BillingImportsDiagnostics.Meter.CreateHistogram(
        "billing_imports.wait.polls",
        unit: "{poll}",
        description: "How many polls waits made, by resource kind and outcome.",
        tags: null,
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000] });

    /// <summary>The kind as tags and span names spell it.</summary>
    public static string Name(WaitResourceKind kind) => kind == WaitResourceKind.Import ? "import" : "data source";

    /// <summary>The outcome as the <c>billing_imports.wait.outcome</c> tag spells it.</summary>
    public static string Name(WaitOutcome outcome) => outcome switch
    {
        WaitOutcome.Succeeded => "success",
        WaitOutcome.Failed => "failed",
        WaitOutcome.TimedOut => "timeout",
        WaitOutcome.Error => "error",
        _ => "pending",
    };

    /// <summary>The span of a whole wait, or null when no listener samples it.</summary>
    public static Activity? StartWait(WaitResourceKind kind, string resourceId) => Start(kind == WaitResourceKind.Import ? "BillingImports.Wait import" : "BillingImports.Wait data source", kind, resourceId);

    /// <summary>The span of one <c>PollOnceAsync</c>, or null when no listener samples it.</summary>
    public static Activity? StartStep(WaitResourceKind kind, string resourceId) => Start(kind == WaitResourceKind.Import ? "BillingImports.Poll import" : "BillingImports.Poll data source", kind, resourceId);

    /// <summary>Tags a span with what a poll saw.</summary>
    public static void Polled<T>(Activity? activity, WaitStep<T> step)
        where T : class
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(AttemptsTag, step.Checkpoint.Attempt);
        if (step.Checkpoint.LastStatus is { } status)
        {
            activity.SetTag(FinalStatusTag, status);
        }

        if (step.IsFinal)
        {
            activity.SetTag(OutcomeTag, Name(step.Outcome));
            if (step.Outcome == WaitOutcome.Succeeded)
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }
            else
            {
                activity.SetStatus(ActivityStatusCode.Error, Name(step.Outcome));
            }
        }
    }

    /// <summary>Ends a span whose wait did not reach an outcome: cancelled, or an exception the loop does not handle.</summary>
    public static void Abandoned(Activity? activity, Exception? exception)
    {
        if (activity is null)
        {
            return;
        }

        if (exception is null or OperationCanceledException)
        {
            // A cancellation is the caller's choice, not a failure of the wait.
            activity.SetTag(OutcomeTag, Cancelled);
        }
        else
        {
            activity.SetTag(OutcomeTag, Name(WaitOutcome.Error));
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        }
    }

    /// <summary>Records a wait that ended: its duration and its polls, by kind and outcome.</summary>
    public static void Ended(WaitResourceKind kind, string outcome, TimeSpan elapsed, int polls)
    {
        if (!Duration.Enabled && !Polls.Enabled)
        {
            return;
        }

        var tags = new TagList { { ResourceKindTag, Name(kind) }, { OutcomeTag, outcome } };
        Duration.Record(Math.Max(elapsed.TotalSeconds, 0), tags);
        Polls.Record(polls, tags);
    }

    private static Activity? Start(string name, WaitResourceKind kind, string resourceId)
    {
        var activity = BillingImportsDiagnostics.ActivitySource.StartActivity(name, ActivityKind.Internal);
        activity?.SetTag(ResourceKindTag, Name(kind));
        activity?.SetTag(ResourceIdTag, resourceId);
        return activity;
    }
}
