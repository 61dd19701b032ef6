using System.Diagnostics;

namespace BillingImports;

/// <summary>
/// A typed, read-only view of one side of an import's record counts (<c>records.uploaded</c> or
/// <c>records.imported</c>). The keys changed between API versions (products, plans, subscribers;
/// later offerings, subscriptions, features) and appear in singular and plural, so each accessor
/// matches its key in either form and in any case, and reads null when the service did not send it.
/// </summary>
[DebuggerDisplay("Total = {Total}, Keys = {Map.Count}")]
public readonly struct RecordCounts : IEquatable<RecordCounts>
{
    private static readonly IReadOnlyDictionary<string, long> Empty = new Dictionary<string, long>();
    private readonly IDictionary<string, long>? _counts;

    /// <summary>Wraps a count map.</summary>
    /// <param name="counts">The map as read; null reads as empty.</param>
    public RecordCounts(IDictionary<string, long>? counts) => _counts = counts;

    /// <summary>Products (<c>products</c> or <c>product</c>); the older API version.</summary>
    public long? Products => Find("products", "product");

    /// <summary>Plans (<c>plans</c> or <c>plan</c>); the older API version.</summary>
    public long? Plans => Find("plans", "plan");

    /// <summary>Subscribers (<c>subscribers</c> or <c>subscriber</c>); the older API version.</summary>
    public long? Subscribers => Find("subscribers", "subscriber");

    /// <summary>Offerings (<c>offerings</c> or <c>offering</c>); the newer API version.</summary>
    public long? Offerings => Find("offerings", "offering");

    /// <summary>Subscriptions (<c>subscriptions</c> or <c>subscription</c>); both API versions.</summary>
    public long? Subscriptions => Find("subscriptions", "subscription");

    /// <summary>Features (<c>features</c> or <c>feature</c>); the newer API version.</summary>
    public long? Features => Find("features", "feature");

    /// <summary>The sum over every key, known or not (saturates instead of overflowing).</summary>
    public long Total
    {
        get
        {
            long total = 0;
            foreach (var count in Map.Values)
            {
                total = SaturatingAdd(total, count);
            }

            return total;
        }
    }

    /// <summary>Every count as sent, by key, including keys this SDK does not know.</summary>
    public IReadOnlyDictionary<string, long> Map => _counts switch
    {
        null => Empty,
        IReadOnlyDictionary<string, long> readOnly => readOnly,
        _ => _counts.AsReadOnly(),
    };

    /// <summary>Compares two views by the map they wrap.</summary>
    public static bool operator ==(RecordCounts left, RecordCounts right) => left.Equals(right);

    /// <summary>Compares two views by the map they wrap.</summary>
    public static bool operator !=(RecordCounts left, RecordCounts right) => !left.Equals(right);

    /// <summary>The count for any key, matched exactly first and then ignoring case.</summary>
    /// <param name="key">The record type as the service names it.</param>
    /// <param name="count">The count, when present.</param>
    /// <returns>True when the key is present.</returns>
    public bool TryGet(string key, out long count)
    {
        ArgumentNullException.ThrowIfNull(key);
        count = 0;
        if (_counts is null)
        {
            return false;
        }

        if (_counts.TryGetValue(key, out count))
        {
            return true;
        }

        foreach (var (name, value) in _counts)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                count = value;
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public bool Equals(RecordCounts other) => ReferenceEquals(_counts, other._counts);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RecordCounts other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _counts is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_counts);

    internal static long SaturatingAdd(long left, long right)
    {
        var sum = unchecked(left + right);

        // Overflow happened when both operands have the same sign and the sum's sign differs.
        if (((left ^ sum) & (right ^ sum)) < 0)
        {
            return left < 0 ? long.MinValue : long.MaxValue;
        }

        return sum;
    }

    private long? Find(string plural, string singular) =>
        TryGet(plural, out var count) || TryGet(singular, out count) ? count : null;
}
