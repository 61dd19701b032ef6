using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BillingImports;

/// <summary>
/// Where a wait stands, small enough to store anywhere and sent through JSON between processes: the
/// resource, when the wait started and its absolute deadline, how many polls it made, the interval
/// before the next delay, the transient failures in a row, and the last status and record counts
/// seen. It holds no credential. Pass it to <c>PollOnceAsync</c> for one more poll, or to
/// <c>ResumeWaitAsync</c> to resume a wait elsewhere with its deadline and counts intact.
/// </summary>
/// <remarks>
/// The deadline is a UTC instant, so a wait resumed in another process keeps it whatever that
/// process's options say. <see cref="ToJson"/> and <see cref="FromJson"/> use source-generated
/// metadata (no reflection, so trimmed and native AOT apps can use them); <see cref="JsonTypeInfo"/>
/// embeds a checkpoint in a caller's own JSON.
/// </remarks>
public sealed record WaitCheckpoint
{
    /// <summary>What the wait polls.</summary>
    public required WaitResourceKind ResourceKind { get; init; }

    /// <summary>The import job id or the data source UUID.</summary>
    public required string ResourceId { get; init; }

    /// <summary>When the wait started, on its <see cref="PollingOptions.TimeProvider"/>'s clock.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The instant after which no poll starts; null when the wait has no timeout.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>How many polls the wait has made, failed ones included.</summary>
    public int Attempt { get; init; }

    /// <summary>The interval, before jitter, that the delay after the next poll is drawn from.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>Transient failures in a row since the last successful poll.</summary>
    public int ConsecutiveTransientFailures { get; init; }

    /// <summary>The status of the last successful poll, as sent; null before one succeeded.</summary>
    public string? LastStatus { get; init; }

    /// <summary>An import's records imported so far, over all record types, at the last successful poll; null for a data source or before one succeeded.</summary>
    public long? Imported { get; init; }

    /// <summary>An import's records uploaded, over all record types, at the last successful poll; null for a data source or before one succeeded.</summary>
    public long? Uploaded { get; init; }

    /// <summary>Source-generated JSON metadata for a checkpoint, to embed it in another document without reflection.</summary>
    public static JsonTypeInfo<WaitCheckpoint> JsonTypeInfo => WaitCheckpointJsonContext.Default.WaitCheckpoint;

    /// <summary>The checkpoint of a new wait on an Elastic Path import: no poll made, the deadline <see cref="PollingOptions.Timeout"/> from now.</summary>
    /// <param name="importUuid">The import job id.</param>
    /// <param name="options">The wait's options (clock, timeout, first interval); null for the defaults.</param>
    /// <returns>The first checkpoint.</returns>
    /// <exception cref="ArgumentException">The id is empty, or the options are out of range.</exception>
    public static WaitCheckpoint ForImport(string importUuid, PollingOptions? options = null) =>
        Start(WaitResourceKind.Import, importUuid, options);

    /// <summary>The checkpoint of a new wait on a ChartMogul data source: no poll made, the deadline <see cref="PollingOptions.Timeout"/> from now.</summary>
    /// <param name="dataSourceUuid">The data source UUID (<c>ds_...</c>).</param>
    /// <param name="options">The wait's options (clock, timeout, first interval); null for the defaults.</param>
    /// <returns>The first checkpoint.</returns>
    /// <exception cref="ArgumentException">The id is empty, or the options are out of range.</exception>
    public static WaitCheckpoint ForDataSource(string dataSourceUuid, PollingOptions? options = null) =>
        Start(WaitResourceKind.DataSource, dataSourceUuid, options);

    /// <summary>Reads a checkpoint written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentException">The text is not a checkpoint: not JSON, a member missing or of the wrong type, or values out of range (a negative attempt, a deadline before the start).</exception>
    public static WaitCheckpoint FromJson(string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(json);
        WaitCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize(json, JsonTypeInfo);
        }
        catch (JsonException exception)
        {
            // The JSON path says where; the text itself is not repeated.
            throw new ArgumentException($"The text is not a wait checkpoint: {exception.Message}", nameof(json), exception);
        }

        if (checkpoint is null)
        {
            throw new ArgumentException("The text is not a wait checkpoint: it is the JSON literal null.", nameof(json));
        }

        checkpoint.ThrowIfInvalid(nameof(json));
        return checkpoint;
    }

    /// <summary>The checkpoint as compact JSON, for <see cref="FromJson"/>.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonTypeInfo);

    /// <summary>Throws when a checkpoint could not have come from a wait (a hand-edited or truncated one).</summary>
    internal void ThrowIfInvalid(string parameterName)
    {
        var problem = this switch
        {
            _ when !Enum.IsDefined(ResourceKind) => string.Create(CultureInfo.InvariantCulture, $"ResourceKind {(int)ResourceKind} is not a resource the SDK waits for."),
            _ when string.IsNullOrWhiteSpace(ResourceId) => "ResourceId is empty.",
            _ when Attempt < 0 => "Attempt is negative.",
            _ when Interval <= TimeSpan.Zero || Interval > Timers.MaxDelay => "Interval must be positive and at most 49 days.",
            _ when ConsecutiveTransientFailures < 0 => "ConsecutiveTransientFailures is negative.",
            _ when Deadline < StartedAt => "Deadline is before StartedAt.",
            _ when Imported < 0 || Uploaded < 0 => "Record counts cannot be negative.",
            _ => null,
        };
        if (problem is not null)
        {
            throw new ArgumentException($"The wait checkpoint is not valid: {problem}", parameterName);
        }
    }

    private static WaitCheckpoint Start(WaitResourceKind kind, string resourceId, PollingOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        options ??= new PollingOptions();
        options.Validate();
        var now = options.TimeProvider.GetUtcNow();
        return new WaitCheckpoint
        {
            ResourceKind = kind,
            ResourceId = resourceId,
            StartedAt = now,
            Deadline = options.Timeout == Timeout.InfiniteTimeSpan ? null : now + options.Timeout,
            Interval = options.InitialInterval,
        };
    }
}
