using Microsoft.OpenApi;

namespace SpecBreakCheck;

/// <summary>An operation with the path item and document around it, which supply its defaults.</summary>
/// <param name="Document">The document.</param>
/// <param name="PathItem">The path item holding the operation.</param>
/// <param name="Operation">The operation.</param>
internal sealed record OperationContext(OpenApiDocument Document, IOpenApiPathItem PathItem, OpenApiOperation Operation)
{
    /// <summary>The parameters a call sends, by place and name; the operation's own override the path item's.</summary>
    public Dictionary<(ParameterLocation? Place, string Name), IOpenApiParameter> Parameters()
    {
        var parameters = new Dictionary<(ParameterLocation?, string), IOpenApiParameter>();
        foreach (var parameter in (PathItem.Parameters ?? []).Concat(Operation.Parameters ?? []))
        {
            if (parameter.Name is { } name)
            {
                parameters[(parameter.In, name)] = parameter;
            }
        }

        return parameters;
    }

    /// <summary>The servers the operation is reached on: its own, else its path's, else the document's.</summary>
    public IEnumerable<OpenApiServer> Servers() =>
        new[] { Operation.Servers, PathItem.Servers, Document.Servers }.FirstOrDefault(servers => servers is { Count: > 0 }) ?? [];

    /// <summary>
    /// The credential sets any one of which is enough, each as scheme name to scopes; one empty set
    /// when the operation needs no credentials.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, ISet<string>>> SecurityAlternatives()
    {
        var requirements = Operation.Security ?? Document.Security;
        if (requirements is not { Count: > 0 })
        {
            return [new Dictionary<string, ISet<string>>()];
        }

        return requirements
            .Select(requirement => (IReadOnlyDictionary<string, ISet<string>>)requirement.ToDictionary(
                scheme => scheme.Key.Reference?.Id ?? string.Empty,
                scheme => (ISet<string>)scheme.Value.ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal))
            .ToList();
    }
}
