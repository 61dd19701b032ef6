using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace BillingImports;

/// <summary>
/// One side of an import job's record counts (<c>meta.records.uploaded</c> or
/// <c>meta.records.imported</c>): a read-only map from record type to count, with typed accessors
/// for the record types the service has used. The set of keys changes between API versions (the
/// documented one sends <c>subscription_product</c>, <c>subscription_plan</c>,
/// <c>subscription_subscriber</c>; later ones add <c>subscription_offering</c> and
/// <c>subscription</c>; the newest sends <c>subscription_feature</c> and drops product and plan),
/// so an accessor reads null when its key is absent, and keys this SDK does not know are kept and
/// counted in <see cref="Total"/>.
/// </summary>
[DebuggerDisplay("Total = {Total}, Count = {Count}")]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named after the OpenAPI schema (RecordCounts) so spec, model and docs use one name.")]
[JsonConverter(typeof(RecordCountsConverter))]
public readonly struct RecordCounts : IReadOnlyDictionary<string, long>, IEquatable<RecordCounts>
{
    private static readonly Dictionary<string, long> NoCounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>? _counts;

    /// <summary>Creates counts from record type and count pairs (a later duplicate key wins).</summary>
    /// <param name="counts">The counts.</param>
    public RecordCounts(IEnumerable<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, count) in counts)
        {
            ArgumentNullException.ThrowIfNull(key, nameof(counts));
            _counts[key] = count;
        }
    }

    /// <summary>Takes ownership of a map nobody else holds (the JSON reader's).</summary>
    internal RecordCounts(Dictionary<string, long> owned, bool _) => _counts = owned;

    /// <summary>No counts.</summary>
    public static RecordCounts Empty => default;

    /// <summary>Products (<c>subscription_product</c>); the documented API version.</summary>
    public long? Products => Find(RecordTypes.Product);

    /// <summary>Plans (<c>subscription_plan</c>); the documented API version.</summary>
    public long? Plans => Find(RecordTypes.Plan);

    /// <summary>Subscribers (<c>subscription_subscriber</c>); every API version.</summary>
    public long? Subscribers => Find(RecordTypes.Subscriber);

    /// <summary>Offerings (<c>subscription_offering</c>); later API versions.</summary>
    public long? Offerings => Find(RecordTypes.Offering);

    /// <summary>Subscriptions (<c>subscription</c>); later API versions.</summary>
    public long? Subscriptions => Find(RecordTypes.Subscription);

    /// <summary>Features (<c>subscription_feature</c>); the newest API version.</summary>
    public long? Features => Find(RecordTypes.Feature);

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

    /// <summary>How many record types there are.</summary>
    public int Count => Map.Count;

    /// <summary>The record types, as the service spells them.</summary>
    public IEnumerable<string> Keys => Map.Keys;

    /// <summary>The counts.</summary>
    public IEnumerable<long> Values => Map.Values;

    private Dictionary<string, long> Map => _counts ?? NoCounts;

    /// <summary>The count of a record type.</summary>
    /// <param name="key">The record type, spelled as the service does (<c>subscription_plan</c>).</param>
    /// <exception cref="KeyNotFoundException">The service sent no such record type.</exception>
    public long this[string key] => Map[key];

    /// <summary>Compares two sets of counts by content.</summary>
    public static bool operator ==(RecordCounts left, RecordCounts right) => left.Equals(right);

    /// <summary>Compares two sets of counts by content.</summary>
    public static bool operator !=(RecordCounts left, RecordCounts right) => !left.Equals(right);

    /// <summary>Whether the service sent a record type.</summary>
    /// <param name="key">The record type.</param>
    /// <returns>True when present.</returns>
    public bool ContainsKey(string key) => Map.ContainsKey(key);

    /// <summary>The count of a record type, when the service sent it.</summary>
    /// <param name="key">The record type, spelled as the service does.</param>
    /// <param name="value">The count.</param>
    /// <returns>True when present.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out long value) => Map.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => Map.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>True when both hold the same record types with the same counts.</summary>
    /// <param name="other">The other counts.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(RecordCounts other)
    {
        var mine = Map;
        var theirs = other.Map;
        if (ReferenceEquals(mine, theirs))
        {
            return true;
        }

        if (mine.Count != theirs.Count)
        {
            return false;
        }

        foreach (var (key, count) in mine)
        {
            if (!theirs.TryGetValue(key, out var value) || value != count)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RecordCounts other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        // Order-independent, so equal maps hash alike whatever order their keys came in.
        var hash = 0;
        foreach (var (key, count) in Map)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), count);
        }

        return hash;
    }

    /// <summary>The counts as <c>type=count</c> pairs, for logs.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => string.Join(", ", Map.Select(pair => $"{pair.Key}={pair.Value}"));

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

    private long? Find(string key) => Map.TryGetValue(key, out var count) ? count : null;
}
