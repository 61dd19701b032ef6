namespace SpecBreakCheck;

/// <summary>The released and the current version of one operation.</summary>
/// <param name="Baseline">The operation in the released document.</param>
/// <param name="Current">The operation in the current document.</param>
/// <param name="Location">How reports name it: <c>GET /v1/things/{id}</c>, with the released path.</param>
/// <param name="PathNames">Released path parameter names to current ones, matched by position in the template.</param>
internal sealed record OperationPair(
    OperationContext Baseline,
    OperationContext Current,
    string Location,
    IReadOnlyDictionary<string, string> PathNames);
