using BillingImports.Testing.Internal;

namespace BillingImports.Testing;

/// <summary>The data sources a <see cref="FakeBillingServer"/> knows; any other UUID is answered with 404.</summary>
public sealed class FakeDataSources
{
    /// <summary>The prefix ChartMogul requires of a data source UUID; any other id is answered with 422.</summary>
    internal const string UuidPrefix = "ds_";

    private readonly ScenarioRegistry<DataSourceScenario> _sources = new(StringComparer.Ordinal);

    internal FakeDataSources()
    {
    }

    /// <summary>
    /// Adds a data source and returns its script, to which steps are added in order. Adding a UUID
    /// that is already known (a spec example, say) replaces its script and starts it from its first step.
    /// </summary>
    /// <param name="uuid">The data source UUID, starting with <c>ds_</c>, as ChartMogul answers anything else with 422.</param>
    /// <returns>The source's script.</returns>
    /// <exception cref="ArgumentException"><paramref name="uuid"/> does not start with <c>ds_</c>, so no request for it could reach the script.</exception>
    public DataSourceScenario Add(string uuid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        if (!uuid.StartsWith(UuidPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{uuid}' does not start with {UuidPrefix}; the fake answers it with 422, as ChartMogul does.", nameof(uuid));
        }

        return _sources.Set(uuid, new DataSourceScenario(uuid));
    }

    /// <summary>Forgets a data source, so requests for it get 404.</summary>
    /// <param name="uuid">The data source UUID.</param>
    /// <returns>True when the source was known.</returns>
    public bool Remove(string uuid)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        return _sources.Remove(uuid);
    }

    internal DataSourceScenario? Find(string uuid) => _sources.Find(uuid);
}
