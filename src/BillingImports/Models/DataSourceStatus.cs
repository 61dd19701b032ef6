using System.Diagnostics;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// The status of a ChartMogul data source as an open value. The documented values have named
/// instances; any other value is kept as it came, never rejected. The service does not keep to its
/// documented split between custom sources and integrations, so no value is tied to a source kind.
/// </summary>
[DebuggerDisplay("{Value,nq}")]
[JsonConverter(typeof(OpenValueConverter<DataSourceStatus>))]
public readonly struct DataSourceStatus : IEquatable<DataSourceStatus>, IOpenValue<DataSourceStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from the service's value.</summary>
    /// <param name="value">The raw value; null or empty reads as an unknown, empty status.</param>
    public DataSourceStatus(string? value) => _value = value;

    /// <summary>A custom source is processing data.</summary>
    public static DataSourceStatus Working { get; } = new("working");

    /// <summary>A custom source has processed everything it was sent.</summary>
    public static DataSourceStatus Idle { get; } = new("idle");

    /// <summary>Nothing has been imported yet: neither done nor in progress.</summary>
    public static DataSourceStatus NeverImported { get; } = new("never_imported");

    /// <summary>An integration is importing.</summary>
    public static DataSourceStatus Importing { get; } = new("importing");

    /// <summary>An integration has finished importing.</summary>
    public static DataSourceStatus ImportComplete { get; } = new("import_complete");

    /// <summary>The value exactly as the service sent it (empty when absent).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for the five documented values; false for anything else, which is still kept in <see cref="Value"/>.</summary>
    public bool IsKnown => IsDone || IsInProgress || Equals(NeverImported);

    /// <summary>True while data is being processed: <see cref="Working"/> or <see cref="Importing"/>.</summary>
    public bool IsInProgress => Equals(Working) || Equals(Importing);

    /// <summary>True when processing is done: <see cref="Idle"/> or <see cref="ImportComplete"/>. A wait ends here.</summary>
    public bool IsDone => Equals(Idle) || Equals(ImportComplete);

    /// <summary>Compares two statuses by value, ignoring case.</summary>
    public static bool operator ==(DataSourceStatus left, DataSourceStatus right) => left.Equals(right);

    /// <summary>Compares two statuses by value, ignoring case.</summary>
    public static bool operator !=(DataSourceStatus left, DataSourceStatus right) => !left.Equals(right);

    /// <summary>Wraps a raw value.</summary>
    /// <param name="value">The raw value.</param>
    public static implicit operator DataSourceStatus(string? value) => new(value);

    /// <summary>Wraps a raw value (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The status.</returns>
    public static DataSourceStatus FromString(string? value) => new(value);

    /// <inheritdoc />
    static DataSourceStatus IOpenValue<DataSourceStatus>.Create(string? value) => new(value);

    /// <inheritdoc />
    public bool Equals(DataSourceStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataSourceStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
