using System.Globalization;
using System.Text.Json.Nodes;
using BillingImports.Testing.Internal;

namespace BillingImports.Testing;

/// <summary>
/// The script of one Elastic Path import job on a <see cref="FakeBillingServer"/>. Each
/// authorized <c>GET /v2/subscriptions/imports/{id}</c> for the job moves it one poll along the
/// steps in the order they were added; the last step keeps answering until another step is added.
/// A job with no steps is <c>pending</c>.
/// </summary>
/// <example>
/// <code>
/// server.Imports.Add(id).Pending().Started(polls: 2).Succeeds();
/// // pending, started (1/3 imported), started (2/3 imported), success (all imported), success, ...
/// </code>
/// </example>
/// <remarks>
/// The body has the service's shape: <c>data.attributes</c> holds <c>status</c> and (when set)
/// <c>external_ref</c>; <c>data.meta</c> holds <c>owner</c>, <c>timestamps</c> and
/// <c>records.uploaded</c> / <c>records.imported</c>. Record counts: <c>uploaded</c> is fixed (by
/// default the spec's success example: 3 <c>subscription_offering</c>, 120 <c>subscription</c>,
/// 8 <c>subscription_feature</c>); <c>imported</c> is zero while pending, grows evenly over the
/// polls of a <see cref="Started"/> step, equals <c>uploaded</c> on success, and stays where it was
/// on failure. Timestamps move 5 seconds per request from a fixed date, so bodies are the same on
/// every run; <c>started_at</c> and <c>finished_at</c> appear once the job reaches those stages.
/// The failing lines set with <see cref="WithErrors(FakeImportError[])"/> are served, paged, at
/// <c>GET /v2/subscriptions/imports/{id}/errors</c>, whatever the job's status.
/// </remarks>
public sealed class ImportScenario
{
    private static readonly DateTimeOffset Created = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan PollGap = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private IReadOnlyList<KeyValuePair<string, long>> _uploaded = DefaultUploaded();
    private IReadOnlyList<FakeImportError> _errors = [];
    private string? _externalRef;

    internal ImportScenario(string id)
    {
        Id = id;
        Script = new Script(new StatusStep("pending", 1, ProgressKind.Zero, Starts: false, Finishes: false));
    }

    /// <summary>The import job id this script answers for.</summary>
    public string Id { get; }

    internal Script Script { get; }

    /// <summary>Sets the records the job uploaded, by record type (replacing the default counts).</summary>
    /// <param name="counts">Record type and count pairs, spelled as the service does, for example <c>("subscription_plan", 100)</c>.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario WithUploadedRecords(params (string RecordType, long Count)[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length == 0)
        {
            throw new ArgumentException("Give at least one record type.", nameof(counts));
        }

        foreach (var (recordType, count) in counts)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(recordType, nameof(counts));
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
        }

        lock (_gate)
        {
            _uploaded = counts.Select(pair => KeyValuePair.Create(pair.RecordType, pair.Count)).ToList();
        }

        return this;
    }

    /// <summary>Sets <c>attributes.external_ref</c>, the caller's own reference for the job; null leaves it out.</summary>
    /// <param name="externalRef">The reference, at most 2048 characters.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario WithExternalRef(string? externalRef)
    {
        if (externalRef is { Length: > 2048 })
        {
            throw new ArgumentException("The service keeps at most 2048 characters of external_ref.", nameof(externalRef));
        }

        lock (_gate)
        {
            _externalRef = externalRef;
        }

        return this;
    }

    /// <summary>
    /// Sets the failing lines served at <c>/errors</c> (replacing any set before); they are served
    /// in line order, paged with <c>page[offset]</c> and <c>page[limit]</c>.
    /// </summary>
    /// <param name="errors">The failing lines.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario WithErrors(params FakeImportError[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var error in errors)
        {
            ArgumentNullException.ThrowIfNull(error, nameof(errors));
            ArgumentOutOfRangeException.ThrowIfLessThan(error.LineNumber, 1, nameof(errors));
        }

        lock (_gate)
        {
            _errors = [.. errors.OrderBy(error => error.LineNumber)];
        }

        return this;
    }

    /// <summary>
    /// Sets <paramref name="count"/> generated failing lines (lines 2, 3, ..., field <c>plan_id</c>,
    /// error <c>not found</c>), for tests of paging through many errors.
    /// </summary>
    /// <param name="count">How many lines failed.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario WithErrors(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return WithErrors([.. Enumerable.Range(2, count).Select(line => new FakeImportError(line, "plan_id", "not found", string.Create(CultureInfo.InvariantCulture, $"line-{line}")))]);
    }

    /// <summary>Answers <paramref name="polls"/> requests with <c>pending</c>: nothing imported, no <c>started_at</c>.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario Pending(int polls = 1) =>
        Add(new StatusStep("pending", Polls(polls), ProgressKind.Zero, Starts: false, Finishes: false));

    /// <summary>
    /// Answers <paramref name="polls"/> requests with <c>started</c>; the imported counts grow on
    /// each poll (poll k of n imports k/(n+1) of each record type, rounded down).
    /// </summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario Started(int polls = 1) =>
        Add(new StatusStep("started", Polls(polls), ProgressKind.Growing, Starts: true, Finishes: false));

    /// <summary>Answers with <c>success</c>, every uploaded record imported, and <c>finished_at</c> set.</summary>
    /// <returns>This script, for chaining; as the last step, it keeps answering every later request.</returns>
    public ImportScenario Succeeds() =>
        Add(new StatusStep("success", 1, ProgressKind.Complete, Starts: true, Finishes: true));

    /// <summary>
    /// Answers with <c>failed</c> and <c>finished_at</c> set; the imported counts stay where the
    /// job stopped (zero when it never started).
    /// </summary>
    /// <returns>This script, for chaining; as the last step, it keeps answering every later request.</returns>
    public ImportScenario Fails() =>
        Add(new StatusStep("failed", 1, ProgressKind.Unchanged, Starts: false, Finishes: true));

    /// <summary>
    /// Answers <paramref name="polls"/> requests with a status value of the test's choosing, such
    /// as one the documentation does not list; record counts stay where they were.
    /// </summary>
    /// <param name="status">The raw status value.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario Reports(string status, int polls = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        return Add(new StatusStep(status, Polls(polls), ProgressKind.Unchanged, Starts: false, Finishes: false));
    }

    /// <summary>Answers <paramref name="polls"/> requests with 404 and the spec's JSON:API body (<c>meta.missing_ids</c> holds this id).</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario NotFound(int polls = 1) => Add(new ErrorStep(404, null, Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with 429, a <c>Retry-After</c> header and the spec's JSON:API body.</summary>
    /// <param name="retryAfter">The wait to advertise, sent as whole seconds rounded up; null for 1 second.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario RateLimited(TimeSpan? retryAfter = null, int polls = 1) =>
        Add(new ErrorStep(429, retryAfter ?? TimeSpan.FromSeconds(1), Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with 500 and the spec's JSON:API body.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario ServerError(int polls = 1) => Add(new ErrorStep(500, null, Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with exactly this status, body and content type (an HTML error page, a truncated document, ...).</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="body">The body, sent as UTF-8.</param>
    /// <param name="contentType">The Content-Type header.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public ImportScenario RespondsWith(int statusCode, string body, string contentType = Reply.JsonContentType, int polls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return Add(new RawStep(statusCode, body, contentType, Polls(polls)));
    }

    internal ImportScenario Add(Step step)
    {
        Script.Add(step);
        return this;
    }

    /// <summary>The JSON:API document for a status step at <paramref name="position"/>.</summary>
    internal JsonObject Render(StatusStep step, Position position)
    {
        IReadOnlyList<KeyValuePair<string, long>> uploaded;
        string? externalRef;
        lock (_gate)
        {
            (uploaded, externalRef) = (_uploaded, _externalRef);
        }

        var timestamps = new JsonObject
        {
            ["updated_at"] = Timestamp(position.FinishedAt ?? position.Request),
            ["created_at"] = Timestamp(null),
        };
        if (position.StartedAt is { } started)
        {
            timestamps["started_at"] = Timestamp(started);
        }

        if (position.FinishedAt is { } finished)
        {
            timestamps["finished_at"] = Timestamp(finished);
        }

        var attributes = new JsonObject();
        if (externalRef is not null)
        {
            attributes["external_ref"] = externalRef;
        }

        attributes["status"] = step.Status;
        return new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["id"] = Id,
                ["type"] = "subscription_import",
                ["attributes"] = attributes,
                ["meta"] = new JsonObject
                {
                    ["owner"] = "store",
                    ["timestamps"] = timestamps,
                    ["records"] = new JsonObject
                    {
                        ["uploaded"] = new JsonObject(uploaded.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
                        ["imported"] = new JsonObject(uploaded.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)position.Share(pair.Value)))),
                    },
                },
            },
        };
    }

    /// <summary>The failing lines, in line order.</summary>
    internal IReadOnlyList<FakeImportError> Errors
    {
        get
        {
            lock (_gate)
            {
                return _errors;
            }
        }
    }

    internal static int Polls(int polls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(polls, 1);
        return polls;
    }

    // Request n happens (n + 1) poll gaps after creation; null is the creation time itself.
    private static string Timestamp(int? request) =>
        (Created + (request is { } n ? PollGap * (n + 1) : TimeSpan.Zero))
        .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // The uploaded counts of the spec's success example, so a scripted job looks like the documented one.
    private static List<KeyValuePair<string, long>> DefaultUploaded()
    {
        var success = SpecExamples.Instance.Imports.First(example => (string?)example["data"]?["attributes"]?["status"] == "success");
        return success["data"]!["meta"]!["records"]!["uploaded"]!.AsObject()
            .Select(pair => KeyValuePair.Create(pair.Key, pair.Value!.GetValue<long>()))
            .ToList();
    }
}
