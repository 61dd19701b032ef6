using System.Text.Json;
using System.Text.Json.Serialization;

namespace BillingImports.Hangfire;

/// <summary>
/// How a wait run as Hangfire jobs ended: its outcome, its final checkpoint (resource, attempts,
/// deadline, last status and record counts) and, when it did not succeed, why. Plain data: it
/// travels in the completion job's arguments as JSON, and holds no credential.
/// </summary>
public sealed record WaitCompletion
{
    /// <summary>The id <see cref="WaitScheduler"/> returned when the wait started.</summary>
    public required string WaitId { get; init; }

    /// <summary>How the wait ended: never <see cref="WaitOutcome.Pending"/>.</summary>
    public required WaitOutcome Outcome { get; init; }

    /// <summary>The wait's last checkpoint: what it waited for, how many polls it made, its deadline, the last status and counts seen.</summary>
    public required WaitCheckpoint Checkpoint { get; init; }

    /// <summary>When the poll that ended the wait finished.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>Why the wait did not succeed, as one sentence (the exception's message); null on success.</summary>
    public string? Error { get; init; }

    /// <summary>The kind of API error that ended the wait, when one did.</summary>
    public ApiErrorKind? ErrorKind { get; init; }

    /// <summary>A failed import's first failing lines (<see cref="PollingOptions.ImportErrorsOnFailure"/>); empty otherwise.</summary>
    public IReadOnlyList<FailingLine> FailingLines { get; init; } = [];

    /// <summary>The import job id or data source UUID.</summary>
    [JsonIgnore]
    public string ResourceId => Checkpoint.ResourceId;

    /// <summary>Whether the wait ended with the resource done.</summary>
    [JsonIgnore]
    public bool IsSuccess => Outcome == WaitOutcome.Succeeded;

    internal static WaitCompletion From<T>(string waitId, WaitStep<T> step, DateTimeOffset completedAt)
        where T : class => new()
    {
        WaitId = waitId,
        Outcome = step.Outcome,
        Checkpoint = step.Checkpoint,
        CompletedAt = completedAt,
        Error = step.Exception?.Message,
        ErrorKind = (step.Exception as BillingImportsApiException)?.Kind,
        FailingLines = step.Exception is ImportFailedException failed
            ? [.. failed.ImportErrors.Select(line => new FailingLine(line.LineNumber, line.Field, line.Error, line.ExternalRef))]
            : [],
    };

    internal string ToJson() => JsonSerializer.Serialize(this, WaitCompletionJsonContext.Default.WaitCompletion);

    internal static WaitCompletion FromJson(string json) =>
        JsonSerializer.Deserialize(json, WaitCompletionJsonContext.Default.WaitCompletion)
        ?? throw new ArgumentException("The completion is the JSON literal null.", nameof(json));
}
