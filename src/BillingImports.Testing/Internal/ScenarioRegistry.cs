namespace BillingImports.Testing.Internal;

/// <summary>The scripts a fake knows, by id; shared by imports and data sources, read from WireMock's request threads.</summary>
/// <typeparam name="TScenario">The script type.</typeparam>
internal sealed class ScenarioRegistry<TScenario>(StringComparer comparer)
    where TScenario : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TScenario> _scenarios = new(comparer);

    public TScenario Set(string id, TScenario scenario)
    {
        lock (_gate)
        {
            _scenarios[id] = scenario;
        }

        return scenario;
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _scenarios.Remove(id);
        }
    }

    public TScenario? Find(string id)
    {
        lock (_gate)
        {
            return _scenarios.GetValueOrDefault(id);
        }
    }
}
