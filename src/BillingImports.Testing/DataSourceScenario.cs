using System.Text.Json.Nodes;
using BillingImports.Testing.Internal;

namespace BillingImports.Testing;

/// <summary>
/// The script of one ChartMogul data source on a <see cref="FakeBillingServer"/>. Each authorized
/// <c>GET /v1/data_sources/{uuid}</c> for the source moves it one poll along the steps in the order
/// they were added; the last step keeps answering until another step is added. A source with no
/// steps is <c>never_imported</c>.
/// </summary>
/// <example>
/// <code>
/// server.DataSources.Add("ds_1").Working(polls: 2).Idle();             // a custom source
/// server.DataSources.Add("ds_2").Importing(polls: 3).ImportComplete(); // an integration
/// </code>
/// </example>
/// <remarks>
/// Name, system and created_at default to the spec's custom source example. The optional members
/// appear only when the request asks for them, as on the real service:
/// <c>with_processing_status=true</c> adds <c>processing_status</c> (of 100 records: none processed
/// before an import, a growing share while working or importing, all when idle or complete), and
/// <c>with_auto_churn_subscription_setting</c> / <c>with_invoice_handling_setting</c> add the spec
/// example's settings.
/// </remarks>
public sealed class DataSourceScenario
{
    private const long ProcessingTotal = 100;

    private readonly Lock _gate = new();
    private readonly JsonObject _defaults = DefaultSource();
    private string _name;
    private string? _system;

    internal DataSourceScenario(string uuid)
    {
        Uuid = uuid;
        _name = (string)_defaults["name"]!;
        _system = (string?)_defaults["system"];
        Script = new Script(new StatusStep("never_imported", 1, ProgressKind.Zero, Starts: false, Finishes: false));
    }

    /// <summary>The data source UUID this script answers for.</summary>
    public string Uuid { get; }

    internal Script Script { get; }

    /// <summary>Sets the display name.</summary>
    /// <param name="name">The name to report.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario WithName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            _name = name;
        }

        return this;
    }

    /// <summary>Sets the <c>system</c> member; null leaves it out, as older sources do.</summary>
    /// <param name="system">Free text such as <c>Import API</c> or <c>Stripe</c>, or null.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario WithSystem(string? system)
    {
        lock (_gate)
        {
            _system = system;
        }

        return this;
    }

    /// <summary>Answers <paramref name="polls"/> requests with <c>never_imported</c>.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario NeverImported(int polls = 1) =>
        Add(new StatusStep("never_imported", ImportScenario.Polls(polls), ProgressKind.Zero, Starts: false, Finishes: false));

    /// <summary>Answers <paramref name="polls"/> requests with <c>working</c> (a custom source processing data); processed counts grow on each poll.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario Working(int polls = 1) =>
        Add(new StatusStep("working", ImportScenario.Polls(polls), ProgressKind.Growing, Starts: true, Finishes: false));

    /// <summary>Answers with <c>idle</c>: a custom source that has processed everything.</summary>
    /// <returns>This script, for chaining; as the last step, it keeps answering every later request.</returns>
    public DataSourceScenario Idle() =>
        Add(new StatusStep("idle", 1, ProgressKind.Complete, Starts: true, Finishes: true));

    /// <summary>Answers <paramref name="polls"/> requests with <c>importing</c> (an integration importing); processed counts grow on each poll.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario Importing(int polls = 1) =>
        Add(new StatusStep("importing", ImportScenario.Polls(polls), ProgressKind.Growing, Starts: true, Finishes: false));

    /// <summary>Answers with <c>import_complete</c>: an integration that has finished importing.</summary>
    /// <returns>This script, for chaining; as the last step, it keeps answering every later request.</returns>
    public DataSourceScenario ImportComplete() =>
        Add(new StatusStep("import_complete", 1, ProgressKind.Complete, Starts: true, Finishes: true));

    /// <summary>
    /// Answers <paramref name="polls"/> requests with a status value of the test's choosing, such
    /// as one the documentation does not list; processing counts stay where they were.
    /// </summary>
    /// <param name="status">The raw status value.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario Reports(string status, int polls = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        return Add(new StatusStep(status, ImportScenario.Polls(polls), ProgressKind.Unchanged, Starts: false, Finishes: false));
    }

    /// <summary>Answers <paramref name="polls"/> requests with 404 and the spec's body, <c>{"error":"Data source not found"}</c>.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario NotFound(int polls = 1) => Add(new ErrorStep(404, null, ImportScenario.Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with 429, a <c>Retry-After</c> header and the spec's <c>{code,message,param}</c> body.</summary>
    /// <param name="retryAfter">The wait to advertise, sent as whole seconds rounded up; null for 1 second.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario RateLimited(TimeSpan? retryAfter = null, int polls = 1) =>
        Add(new ErrorStep(429, retryAfter ?? TimeSpan.FromSeconds(1), ImportScenario.Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with 500 and the spec's <c>{code,message,param}</c> body.</summary>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario ServerError(int polls = 1) => Add(new ErrorStep(500, null, ImportScenario.Polls(polls)));

    /// <summary>Answers <paramref name="polls"/> requests with exactly this status, body and content type (an HTML 404 page, a text/plain 500, ...).</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="body">The body, sent as UTF-8.</param>
    /// <param name="contentType">The Content-Type header.</param>
    /// <param name="polls">How many requests this step answers.</param>
    /// <returns>This script, for chaining.</returns>
    public DataSourceScenario RespondsWith(int statusCode, string body, string contentType = Reply.JsonContentType, int polls = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        return Add(new RawStep(statusCode, body, contentType, ImportScenario.Polls(polls)));
    }

    internal DataSourceScenario Add(Step step)
    {
        Script.Add(step);
        return this;
    }

    /// <summary>The data source document for a status step at <paramref name="position"/>.</summary>
    internal JsonObject Render(StatusStep step, Position position, DataSourceQuery query)
    {
        string name;
        string? system;
        lock (_gate)
        {
            (name, system) = (_name, _system);
        }

        var source = new JsonObject { ["uuid"] = Uuid, ["name"] = name };
        if (system is not null)
        {
            source["system"] = system;
        }

        source["created_at"] = _defaults["created_at"]!.DeepClone();
        source["status"] = step.Status;
        if (query.WithProcessingStatus)
        {
            var processed = position.Share(ProcessingTotal);

            // A source that has not imported has nothing queued either.
            var pending = position.StartedAt is null && position.FinishedAt is null ? 0 : ProcessingTotal - processed;
            source["processing_status"] = new JsonObject { ["processed"] = processed, ["pending"] = pending, ["failed"] = 0 };
        }

        foreach (var (flag, member) in new[]
        {
            (query.WithAutoChurnSubscriptionSetting, "auto_churn_subscription_setting"),
            (query.WithInvoiceHandlingSetting, "invoice_handling_setting"),
        })
        {
            if (flag)
            {
                source[member] = SpecSetting(member);
            }
        }

        return source;
    }

    /// <summary>
    /// A spec example as the service would answer the request: the <c>with_*</c> members only when
    /// asked for. An example that lacks an asked-for member gets one consistent with its status
    /// (processing counts of 100 records: all processed when done, half while processing, none
    /// otherwise) or the spec's setting example.
    /// </summary>
    internal static JsonObject Filter(JsonObject example, DataSourceQuery query)
    {
        var source = (JsonObject)example.DeepClone();
        if (!query.WithProcessingStatus)
        {
            source.Remove("processing_status");
        }
        else if (!source.ContainsKey("processing_status"))
        {
            var status = new DataSourceStatus((string?)source["status"]);
            var processed = status.IsDone ? ProcessingTotal : status.IsInProgress ? ProcessingTotal / 2 : 0;
            var pending = status.IsInProgress ? ProcessingTotal - processed : 0;
            source["processing_status"] = new JsonObject { ["processed"] = processed, ["pending"] = pending, ["failed"] = 0 };
        }

        foreach (var (flag, member) in new[]
        {
            (query.WithAutoChurnSubscriptionSetting, "auto_churn_subscription_setting"),
            (query.WithInvoiceHandlingSetting, "invoice_handling_setting"),
        })
        {
            if (!flag)
            {
                source.Remove(member);
            }
            else if (!source.ContainsKey(member))
            {
                source[member] = SpecSetting(member);
            }
        }

        return source;
    }

    // The spec's custom source example: the shape of a source without the optional members.
    private static JsonObject DefaultSource() =>
        SpecExamples.Instance.DataSources.First(example => example.ContainsKey("system") && !example.ContainsKey("processing_status"));

    private static JsonNode? SpecSetting(string member) =>
        SpecExamples.Instance.DataSources.Select(example => example[member]).FirstOrDefault(value => value is not null)?.DeepClone();
}

/// <summary>The <c>with_*</c> flags of a data source request.</summary>
internal readonly record struct DataSourceQuery(bool WithProcessingStatus, bool WithAutoChurnSubscriptionSetting, bool WithInvoiceHandlingSetting);
