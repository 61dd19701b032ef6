using System.Text.RegularExpressions;
using Microsoft.OpenApi;

namespace SpecBreakCheck;

/// <summary>
/// Finds the wire-level breaks between the released OpenAPI document and the current one: what an
/// existing client, built against the released document, would trip on.
/// </summary>
internal static partial class SpecComparer
{
    /// <summary>Every break, ordered by <see cref="BreakingChange.Key"/>.</summary>
    public static IReadOnlyList<BreakingChange> Compare(OpenApiDocument baseline, OpenApiDocument current)
    {
        var breaks = new List<BreakingChange>();
        ComparePaths(baseline, current, breaks);
        CompareSecuritySchemes(baseline, current, breaks);
        return breaks
            .DistinctBy(change => change.Key)
            .OrderBy(change => change.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static void ComparePaths(OpenApiDocument baseline, OpenApiDocument current, List<BreakingChange> breaks)
    {
        // Path parameter names are not on the wire: /things/{id} and /things/{thing_id} are one path.
        var currentPaths = (current.Paths ?? [])
            .GroupBy(path => Template(path.Key))
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        foreach (var (path, item) in baseline.Paths ?? [])
        {
            if (!currentPaths.TryGetValue(Template(path), out var now))
            {
                breaks.Add(new BreakingChange(BreakRules.PathRemoved, path, $"{path} is gone, with every operation on it."));
                continue;
            }

            var pathNames = PathParameterNames(path).Zip(PathParameterNames(now.Key))
                .ToDictionary(pair => pair.First, pair => pair.Second, StringComparer.Ordinal);
            foreach (var (method, operation) in item.Operations ?? [])
            {
                var location = $"{method.Method.ToUpperInvariant()} {path}";
                if (now.Value.Operations?.GetValueOrDefault(method) is not { } currentOperation)
                {
                    breaks.Add(new BreakingChange(BreakRules.OperationRemoved, location, $"{location} is gone."));
                    continue;
                }

                var operations = new OperationPair(
                    new OperationContext(baseline, item, operation),
                    new OperationContext(current, now.Value, currentOperation),
                    location,
                    pathNames);
                CompareOperation(operations, breaks);
            }
        }
    }

    private static void CompareOperation(OperationPair pair, List<BreakingChange> breaks)
    {
        var (baseline, current, location, _) = pair;
        if (!string.IsNullOrEmpty(baseline.Operation.OperationId) &&
            !string.Equals(baseline.Operation.OperationId, current.Operation.OperationId, StringComparison.Ordinal))
        {
            breaks.Add(new BreakingChange(
                BreakRules.OperationIdChanged,
                location,
                $"operationId {baseline.Operation.OperationId} is now {current.Operation.OperationId ?? "absent"}; generated clients name the method after it."));
        }

        CompareParameters(pair, breaks);
        CompareRequestBody(pair, breaks);
        CompareResponses(pair, breaks);
        CompareServers(pair, breaks);
        CompareSecurityRequirements(pair, breaks);
    }

    private static void CompareParameters(OperationPair pair, List<BreakingChange> breaks)
    {
        var before = pair.Baseline.Parameters();
        var after = pair.Current.Parameters();
        foreach (var ((place, name), parameter) in before)
        {
            var currentName = place == ParameterLocation.Path ? pair.PathNames.GetValueOrDefault(name, name) : name;
            var location = $"{pair.Location} {Describe(place)} {name}";
            if (!after.TryGetValue((place, currentName), out var now))
            {
                breaks.Add(new BreakingChange(BreakRules.ParameterRemoved, location, $"The {Describe(place)} parameter {name} is gone."));
                continue;
            }

            if (!parameter.Required && now.Required)
            {
                breaks.Add(new BreakingChange(BreakRules.ParameterBecameRequired, location, $"The {Describe(place)} parameter {name} became required."));
            }

            if (parameter.Schema is { } schema && now.Schema is { } currentSchema)
            {
                SchemaComparer.Compare(schema, currentSchema, SchemaDirection.Request, location, BreakRules.ParameterTypeChanged, breaks);
            }
        }

        var renamedPathParameters = pair.PathNames.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var ((place, name), parameter) in after)
        {
            var isOld = before.ContainsKey((place, name)) || (place == ParameterLocation.Path && renamedPathParameters.Contains(name));
            if (!isOld && parameter.Required)
            {
                breaks.Add(new BreakingChange(
                    BreakRules.RequiredParameterAdded,
                    $"{pair.Location} {Describe(place)} {name}",
                    $"The new {Describe(place)} parameter {name} is required; existing calls do not send it."));
            }
        }
    }

    private static void CompareRequestBody(OperationPair pair, List<BreakingChange> breaks)
    {
        var before = pair.Baseline.Operation.RequestBody;
        var after = pair.Current.Operation.RequestBody;
        if (after is { Required: true } && before is not { Required: true })
        {
            breaks.Add(new BreakingChange(
                BreakRules.RequestBodyBecameRequired,
                pair.Location,
                before is null ? "A required request body was added." : "The request body became required."));
        }

        if (before is null || after is null)
        {
            return;
        }

        var currentContent = Content(after.Content);
        foreach (var (mediaType, media) in Content(before.Content))
        {
            var location = $"{pair.Location} request {mediaType}";
            if (!currentContent.TryGetValue(mediaType, out var now))
            {
                breaks.Add(new BreakingChange(BreakRules.RequestMediaTypeRemoved, location, $"The request body is no longer accepted as {mediaType}."));
            }
            else if (media.Schema is { } schema && now.Schema is { } currentSchema)
            {
                SchemaComparer.Compare(schema, currentSchema, SchemaDirection.Request, location, BreakRules.RequestMemberTypeChanged, breaks);
            }
        }
    }

    private static void CompareResponses(OperationPair pair, List<BreakingChange> breaks)
    {
        var after = pair.Current.Operation.Responses ?? [];
        foreach (var (status, response) in pair.Baseline.Operation.Responses ?? [])
        {
            var location = $"{pair.Location} {status}";
            if (!after.TryGetValue(status, out var now))
            {
                breaks.Add(new BreakingChange(BreakRules.ResponseStatusRemoved, location, $"The {status} response is gone."));
                continue;
            }

            var isSuccess = status.StartsWith('2');
            var currentContent = Content(now.Content);
            foreach (var (mediaType, media) in Content(response.Content))
            {
                if (!currentContent.TryGetValue(mediaType, out var currentMedia))
                {
                    // Success bodies are read into models; an error body is read whatever its media type.
                    if (isSuccess)
                    {
                        breaks.Add(new BreakingChange(
                            BreakRules.ResponseMediaTypeRemoved,
                            $"{location} {mediaType}",
                            $"The {status} response no longer comes as {mediaType}."));
                    }

                    continue;
                }

                if (media.Schema is { } schema && currentMedia.Schema is { } currentSchema)
                {
                    SchemaComparer.Compare(
                        schema, currentSchema, SchemaDirection.Response, $"{location} {mediaType}", BreakRules.ResponseMemberTypeChanged, breaks);
                }
            }
        }
    }

    private static void CompareServers(OperationPair pair, List<BreakingChange> breaks)
    {
        var after = pair.Current.Servers().ToDictionary(server => server.Url ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        foreach (var server in pair.Baseline.Servers())
        {
            var url = server.Url ?? string.Empty;
            var location = $"{pair.Location} {url}";
            if (!after.TryGetValue(url, out var now))
            {
                breaks.Add(new BreakingChange(BreakRules.ServerRemoved, location, $"The operation is no longer served at {url}."));
                continue;
            }

            foreach (var (name, variable) in server.Variables ?? new Dictionary<string, OpenApiServerVariable>())
            {
                List<string> currentValues = now.Variables is { } variables && variables.TryGetValue(name, out var current) ? current.Enum ?? [] : [];
                if (currentValues.Count == 0)
                {
                    continue;
                }

                foreach (var value in (variable.Enum ?? []).Where(value => !currentValues.Contains(value)))
                {
                    breaks.Add(new BreakingChange(
                        BreakRules.ServerVariableValueRemoved,
                        $"{location} {name}={value}",
                        $"The server variable {name} no longer takes {value}."));
                }
            }
        }
    }

    private static void CompareSecurityRequirements(OperationPair pair, List<BreakingChange> breaks)
    {
        var before = pair.Baseline.SecurityAlternatives();
        var after = pair.Current.SecurityAlternatives();

        // A client holds the credentials of one released alternative; it still gets in when some
        // current alternative asks for no more schemes and no more scopes than that one.
        var stranded = before.Where(held => !after.Any(asked => asked.All(scheme =>
            held.TryGetValue(scheme.Key, out var scopes) && scheme.Value.IsSubsetOf(scopes)))).ToList();
        if (stranded.Count > 0)
        {
            breaks.Add(new BreakingChange(
                BreakRules.SecurityRequirementChanged,
                pair.Location,
                $"Clients authenticating with {string.Join(" or ", stranded.Select(DescribeAlternative))} are refused: the operation now asks for {(after.Count == 0 ? "nothing" : string.Join(" or ", after.Select(DescribeAlternative)))}."));
        }
    }

    private static void CompareSecuritySchemes(OpenApiDocument baseline, OpenApiDocument current, List<BreakingChange> breaks)
    {
        var after = current.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var (name, scheme) in baseline.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>())
        {
            var differences = after.TryGetValue(name, out var now) ? SchemeDifferences(scheme, now).ToList() : ["the scheme is gone"];
            if (differences.Count > 0)
            {
                breaks.Add(new BreakingChange(
                    BreakRules.SecuritySchemeChanged,
                    name,
                    $"Security scheme {name}: {string.Join("; ", differences)}."));
            }
        }
    }

    private static IEnumerable<string> SchemeDifferences(IOpenApiSecurityScheme before, IOpenApiSecurityScheme after)
    {
        if (before.Type != after.Type)
        {
            yield return $"type {Text(before.Type)} is now {Text(after.Type)}";
            yield break;
        }

        if (!string.Equals(before.Scheme, after.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"HTTP scheme {before.Scheme ?? "none"} is now {after.Scheme ?? "none"}";
        }

        if (before.In != after.In || !string.Equals(before.Name, after.Name, StringComparison.Ordinal))
        {
            yield return $"the key moved from {Text(before.In)} {before.Name} to {Text(after.In)} {after.Name}";
        }

        if (before.OpenIdConnectUrl != after.OpenIdConnectUrl)
        {
            yield return $"OpenID Connect URL {before.OpenIdConnectUrl} is now {after.OpenIdConnectUrl}";
        }

        foreach (var (flowName, flow) in Flows(before.Flows))
        {
            var now = Flows(after.Flows).FirstOrDefault(other => other.Name == flowName).Flow;
            if (now is null)
            {
                yield return $"the {flowName} flow is gone";
                continue;
            }

            if (flow.TokenUrl != now.TokenUrl)
            {
                yield return $"the {flowName} token URL {flow.TokenUrl} is now {now.TokenUrl}";
            }

            if (flow.AuthorizationUrl != now.AuthorizationUrl)
            {
                yield return $"the {flowName} authorization URL {flow.AuthorizationUrl} is now {now.AuthorizationUrl}";
            }

            var scopesGone = (flow.Scopes?.Keys ?? []).Except(now.Scopes?.Keys ?? [], StringComparer.Ordinal).ToList();
            if (scopesGone.Count > 0)
            {
                yield return $"the {flowName} flow no longer offers the scopes {string.Join(", ", scopesGone)}";
            }
        }
    }

    private static IEnumerable<(string Name, OpenApiOAuthFlow Flow)> Flows(OpenApiOAuthFlows? flows)
    {
        if (flows is null)
        {
            yield break;
        }

        (string, OpenApiOAuthFlow?)[] all =
        [
            ("implicit", flows.Implicit),
            ("password", flows.Password),
            ("client credentials", flows.ClientCredentials),
            ("authorization code", flows.AuthorizationCode),
            ("device authorization", flows.DeviceAuthorization),
        ];
        foreach (var (name, flow) in all)
        {
            if (flow is not null)
            {
                yield return (name, flow);
            }
        }
    }

    /// <summary>Media types keyed without parameters and case: <c>application/json; charset=utf-8</c> is <c>application/json</c>.</summary>
    private static Dictionary<string, IOpenApiMediaType> Content(IDictionary<string, IOpenApiMediaType>? content) =>
        (content ?? new Dictionary<string, IOpenApiMediaType>())
            .GroupBy(entry => entry.Key.Split(';')[0].Trim().ToLowerInvariant())
            .ToDictionary(group => group.Key, group => group.First().Value, StringComparer.Ordinal);

    private static string Template(string path) => PathParameter().Replace(path, "{}");

    private static IEnumerable<string> PathParameterNames(string path) =>
        PathParameter().Matches(path).Select(match => match.Value[1..^1]);

    private static string Describe(ParameterLocation? place) => place switch
    {
        ParameterLocation.Path => "path",
        ParameterLocation.Query => "query",
        ParameterLocation.Header => "header",
        ParameterLocation.Cookie => "cookie",
        _ => "unknown",
    };

    private static string DescribeAlternative(IReadOnlyDictionary<string, ISet<string>> alternative) =>
        alternative.Count == 0
            ? "no credentials"
            : string.Join(" and ", alternative.Select(scheme => scheme.Value.Count == 0 ? scheme.Key : $"{scheme.Key} ({string.Join(", ", scheme.Value)})"));

    private static string Text<T>(T? value)
        where T : struct, Enum => value?.ToString().ToLowerInvariant() ?? "none";

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex PathParameter();
}
