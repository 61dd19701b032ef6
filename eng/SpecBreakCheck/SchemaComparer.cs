using Microsoft.OpenApi;

namespace SpecBreakCheck;

/// <summary>Which side of the wire a schema describes; what breaks clients is the opposite on each side.</summary>
internal enum SchemaDirection
{
    /// <summary>Sent by clients (parameters, request bodies): the server must keep accepting what it accepted.</summary>
    Request,

    /// <summary>Read by clients (response bodies): the server must not send what clients were never told of, nor drop what they read.</summary>
    Response,
}

/// <summary>
/// Compares a released schema with the current one, member by member, and reports what breaks
/// clients. A change that narrows a response (a member gets a real type where it had none) or widens
/// a request (a parameter accepts more) is not a break.
/// </summary>
internal sealed class SchemaComparer
{
    // Deep enough for any real document; a second guard besides the recursion check below.
    private const int MaxDepth = 64;

    private readonly List<BreakingChange> _breaks;
    private readonly SchemaDirection _direction;
    private readonly string _location;
    private readonly string _typeRule;
    private readonly HashSet<(object, object)> _inProgress = [];

    /// <param name="breaks">Where breaks are added.</param>
    /// <param name="direction">Which side of the wire the schemas describe.</param>
    /// <param name="location">The operation and place (parameter, status and media type) the schemas belong to.</param>
    /// <param name="typeRule">The rule a type change reports under (parameter, request member or response member).</param>
    private SchemaComparer(List<BreakingChange> breaks, SchemaDirection direction, string location, string typeRule)
    {
        _breaks = breaks;
        _direction = direction;
        _location = location;
        _typeRule = typeRule;
    }

    /// <summary>Adds to <paramref name="breaks"/> every break between the two schemas of one place in the API.</summary>
    /// <param name="baseline">The released schema.</param>
    /// <param name="current">The current schema.</param>
    /// <param name="direction">Which side of the wire the schemas describe.</param>
    /// <param name="location">The operation and place, such as <c>GET /v1/things/{id} 200 application/json</c>.</param>
    /// <param name="typeRule">The rule a type change reports under.</param>
    /// <param name="breaks">Where breaks are added.</param>
    public static void Compare(
        IOpenApiSchema baseline,
        IOpenApiSchema current,
        SchemaDirection direction,
        string location,
        string typeRule,
        List<BreakingChange> breaks) =>
        new SchemaComparer(breaks, direction, location, typeRule).Compare(baseline, current, "$", 0);

    private void Compare(IOpenApiSchema baseline, IOpenApiSchema current, string member, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        // A recursive schema ($ref back to an ancestor) was already compared further up.
        var pair = (SchemaShape.Identity(baseline), SchemaShape.Identity(current));
        if (!_inProgress.Add(pair))
        {
            return;
        }

        try
        {
            if (CompareTypes(baseline, current, member))
            {
                CompareValues(baseline, current, member);
                CompareMembers(baseline, current, member, depth);
            }
        }
        finally
        {
            _inProgress.Remove(pair);
        }
    }

    /// <summary>Reports a type or format break; returns false when one was reported, so the members below are not compared again.</summary>
    private bool CompareTypes(IOpenApiSchema baseline, IOpenApiSchema current, string member)
    {
        var before = SchemaShape.Types(baseline);
        var after = SchemaShape.Types(current);
        var describe = $"{SchemaShape.Describe(before)} before, {SchemaShape.Describe(after)} now";
        if (_direction == SchemaDirection.Response)
        {
            var added = SchemaShape.NotCoveredBy(after, before);
            if (added == JsonSchemaType.Null)
            {
                Add(BreakRules.ResponseMemberBecameNullable, member, $"{Name(member)} may now be null, which clients never had to handle.");
            }
            else if (added != 0)
            {
                Add(_typeRule, member, $"{Name(member)} may now be {SchemaShape.Describe(added)} ({describe}).");
                return false;
            }
        }
        else
        {
            var refused = SchemaShape.NotCoveredBy(before, after) & ~JsonSchemaType.Null;
            if (refused != 0)
            {
                Add(_typeRule, member, $"{Name(member)} no longer accepts {SchemaShape.Describe(refused)} ({describe}).");
                return false;
            }
        }

        var formatBefore = SchemaShape.Format(baseline);
        var formatAfter = SchemaShape.Format(current);
        if (!string.Equals(formatBefore, formatAfter, StringComparison.Ordinal))
        {
            // Dropping a format widens a value, adding one narrows it; each breaks one side only.
            var breaks = (formatBefore, formatAfter) switch
            {
                (null, _) => _direction == SchemaDirection.Request,
                (_, null) => _direction == SchemaDirection.Response,
                _ => true,
            };
            if (breaks)
            {
                Add(_typeRule, member, $"{Name(member)} changed format from {formatBefore ?? "none"} to {formatAfter ?? "none"}.");
                return false;
            }
        }

        return true;
    }

    private void CompareValues(IOpenApiSchema baseline, IOpenApiSchema current, string member)
    {
        var before = SchemaShape.EnumValues(baseline);
        var after = SchemaShape.EnumValues(current);
        if (_direction == SchemaDirection.Request)
        {
            if (before.Count == 0 && after.Count > 0)
            {
                Add(BreakRules.RequestEnumNarrowed, member, $"{Name(member)} is now restricted to {string.Join(", ", after)}.");
            }

            foreach (var value in before.Where(value => after.Count > 0 && !after.Contains(value)))
            {
                Add(BreakRules.RequestEnumNarrowed, member, $"{Name(member)} no longer accepts {value}.", value);
            }
        }
        else
        {
            if (before.Count > 0 && after.Count == 0)
            {
                Add(BreakRules.ResponseEnumWidened, member, $"{Name(member)} is no longer restricted to {string.Join(", ", before)}.");
            }

            foreach (var value in after.Where(value => before.Count > 0 && !before.Contains(value)))
            {
                Add(BreakRules.ResponseEnumWidened, member, $"{Name(member)} may now be {value}, which a closed enum in clients rejects.", value);
            }
        }

        // Open strings: the documented values are what clients give meaning to (a status that ends a wait).
        var documented = SchemaShape.ExtensibleEnumValues(baseline);
        var stillDocumented = SchemaShape.ExtensibleEnumValues(current).Concat(after).ToHashSet(StringComparer.Ordinal);
        foreach (var value in documented.Where(value => !stillDocumented.Contains(value)))
        {
            Add(BreakRules.ExtensibleEnumValueRemoved, member, $"{Name(member)} no longer lists {value} among its known values.", value);
        }
    }

    private void CompareMembers(IOpenApiSchema baseline, IOpenApiSchema current, string member, int depth)
    {
        var before = SchemaShape.Members(baseline);
        var after = SchemaShape.Members(current);
        var requiredBefore = SchemaShape.Required(baseline);
        var requiredAfter = SchemaShape.Required(current);
        foreach (var (name, schema) in before)
        {
            var path = $"{member}.{name}";
            if (!after.TryGetValue(name, out var now))
            {
                // A request member the server stops reading is not a break for clients that send it.
                if (_direction == SchemaDirection.Response)
                {
                    Add(BreakRules.ResponseMemberRemoved, path, $"{Name(path)} is gone.");
                }

                continue;
            }

            if (_direction == SchemaDirection.Response && requiredBefore.Contains(name) && !requiredAfter.Contains(name))
            {
                Add(BreakRules.ResponseMemberBecameOptional, path, $"{Name(path)} was always present and now may be absent.");
            }

            if (_direction == SchemaDirection.Request && !requiredBefore.Contains(name) && requiredAfter.Contains(name))
            {
                Add(BreakRules.RequestMemberBecameRequired, path, $"{Name(path)} became required.");
            }

            Compare(schema, now, path, depth + 1);
        }

        if (_direction == SchemaDirection.Request)
        {
            foreach (var name in after.Keys.Where(name => !before.ContainsKey(name) && requiredAfter.Contains(name)))
            {
                var path = $"{member}.{name}";
                Add(BreakRules.RequestMemberBecameRequired, path, $"{Name(path)} is new and required.");
            }
        }

        if (SchemaShape.Items(baseline) is { } itemsBefore && SchemaShape.Items(current) is { } itemsAfter)
        {
            Compare(itemsBefore, itemsAfter, $"{member}[]", depth + 1);
        }

        if ((SchemaShape.HasDeclaredMapValues(baseline) || SchemaShape.HasDeclaredMapValues(current)) &&
            SchemaShape.MapValues(baseline) is { } valuesBefore &&
            SchemaShape.MapValues(current) is { } valuesAfter)
        {
            Compare(valuesBefore, valuesAfter, $"{member}.*", depth + 1);
        }
    }

    /// <summary>Adds a break; the location names the member (none for the whole value) and the enum value it is about.</summary>
    private void Add(string rule, string member, string message, string? value = null)
    {
        var location = member == "$" ? _location : $"{_location} {member}";
        _breaks.Add(new BreakingChange(rule, value is null ? location : $"{location} {value}", message));
    }

    private static string Name(string member) => member == "$" ? "The value" : member;
}
