using System.Diagnostics;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// The status of an Elastic Path import job as an open value: the four documented values have
/// named instances, and any other value the service sends is kept as it came, never rejected.
/// </summary>
[DebuggerDisplay("{Value,nq}")]
[JsonConverter(typeof(OpenValueConverter<ImportStatus>))]
public readonly struct ImportStatus : IEquatable<ImportStatus>, IOpenValue<ImportStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from the service's value.</summary>
    /// <param name="value">The raw value; null or empty reads as an unknown, empty status.</param>
    public ImportStatus(string? value) => _value = value;

    /// <summary>Accepted, not started.</summary>
    public static ImportStatus Pending { get; } = new("pending");

    /// <summary>Running.</summary>
    public static ImportStatus Started { get; } = new("started");

    /// <summary>Finished without a failure.</summary>
    public static ImportStatus Success { get; } = new("success");

    /// <summary>Finished with a failure.</summary>
    public static ImportStatus Failed { get; } = new("failed");

    /// <summary>The value exactly as the service sent it (empty when absent).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for the four documented values; false for anything else, which is still kept in <see cref="Value"/>.</summary>
    public bool IsKnown => IsDone || IsInProgress;

    /// <summary>True while the job runs or waits to: <see cref="Pending"/> or <see cref="Started"/>.</summary>
    public bool IsInProgress => Equals(Pending) || Equals(Started);

    /// <summary>True when the job will not change again: <see cref="Success"/> or <see cref="Failed"/>. A wait ends here.</summary>
    public bool IsDone => Equals(Success) || Equals(Failed);

    /// <summary>Compares two statuses by value, ignoring case.</summary>
    public static bool operator ==(ImportStatus left, ImportStatus right) => left.Equals(right);

    /// <summary>Compares two statuses by value, ignoring case.</summary>
    public static bool operator !=(ImportStatus left, ImportStatus right) => !left.Equals(right);

    /// <summary>Wraps a raw value.</summary>
    /// <param name="value">The raw value.</param>
    public static implicit operator ImportStatus(string? value) => new(value);

    /// <summary>Wraps a raw value (the named alternative to the implicit conversion).</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The status.</returns>
    public static ImportStatus FromString(string? value) => new(value);

    /// <inheritdoc />
    static ImportStatus IOpenValue<ImportStatus>.Create(string? value) => new(value);

    /// <inheritdoc />
    public bool Equals(ImportStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ImportStatus other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
