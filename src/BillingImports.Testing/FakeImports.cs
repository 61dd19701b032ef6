using BillingImports.Testing.Internal;

namespace BillingImports.Testing;

/// <summary>The import jobs a <see cref="FakeBillingServer"/> knows; any other id is answered with 404.</summary>
public sealed class FakeImports
{
    private readonly ScenarioRegistry<ImportScenario> _imports = new(StringComparer.OrdinalIgnoreCase);

    internal FakeImports()
    {
    }

    /// <summary>
    /// Adds an import job and returns its script, to which steps are added in order. Adding an id
    /// that is already known (a spec example, say) replaces its script and starts it from its first step.
    /// </summary>
    /// <param name="id">The import job id; a UUID, as the service answers anything else with 400.</param>
    /// <returns>The job's script.</returns>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a UUID, so no request for it could reach the script.</exception>
    public ImportScenario Add(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (!Guid.TryParse(id, out _))
        {
            throw new ArgumentException($"'{id}' is not a UUID; the fake answers it with 400, as Elastic Path does.", nameof(id));
        }

        return _imports.Set(id, new ImportScenario(id));
    }

    /// <summary>Forgets an import job, so requests for it get 404.</summary>
    /// <param name="id">The import job id.</param>
    /// <returns>True when the job was known.</returns>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _imports.Remove(id);
    }

    internal ImportScenario? Find(string id) => _imports.Find(id);
}
