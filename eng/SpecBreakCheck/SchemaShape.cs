using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace SpecBreakCheck;

/// <summary>
/// What a schema lets through, read across the ways the spec composes schemas: <c>allOf</c> (all
/// apply), <c>oneOf</c>/<c>anyOf</c> (one applies) and <c>not: {not: X}</c> (X applies; used to give
/// a member a real schema that NSwag still maps to <c>JsonElement</c>).
/// </summary>
internal static class SchemaShape
{
    private const JsonSchemaType AnyType =
        JsonSchemaType.Null | JsonSchemaType.Boolean | JsonSchemaType.Integer | JsonSchemaType.Number |
        JsonSchemaType.String | JsonSchemaType.Object | JsonSchemaType.Array;

    /// <summary>The JSON types a value may have; an untyped schema allows every type.</summary>
    public static JsonSchemaType Types(IOpenApiSchema schema)
    {
        // OpenAPI.NET reads OpenAPI 3.0's `nullable: true` beside a type as the Null flag.
        var types = schema.Type ?? AnyType;
        var alternatives = Concat(schema.OneOf, schema.AnyOf).ToList();
        if (alternatives.Count > 0)
        {
            types &= alternatives.Aggregate((JsonSchemaType)0, (union, branch) => union | Types(branch));
        }

        foreach (var part in schema.AllOf ?? [])
        {
            types &= Types(part);
        }

        if (schema.Not?.Not is { } required)
        {
            types &= Types(required);
        }

        return types;
    }

    /// <summary>
    /// The types in <paramref name="types"/> that <paramref name="allowed"/> does not let through;
    /// an integer is a number.
    /// </summary>
    public static JsonSchemaType NotCoveredBy(JsonSchemaType types, JsonSchemaType allowed)
    {
        if (allowed.HasFlag(JsonSchemaType.Number))
        {
            allowed |= JsonSchemaType.Integer;
        }

        return types & ~allowed;
    }

    /// <summary>The format, from the schema or from any schema it requires (allOf, not-not).</summary>
    public static string? Format(IOpenApiSchema schema) =>
        Parts(schema).Select(part => part.Format).FirstOrDefault(format => !string.IsNullOrEmpty(format));

    /// <summary>
    /// The members an object may have, by name: those of the schema and the schemas it requires, then
    /// those that only some alternatives (oneOf, anyOf) declare.
    /// </summary>
    public static IReadOnlyDictionary<string, IOpenApiSchema> Members(IOpenApiSchema schema)
    {
        var members = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var part in Parts(schema))
        {
            foreach (var (name, member) in part.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                members.TryAdd(name, member);
            }
        }

        foreach (var part in Parts(schema).SelectMany(part => Concat(part.OneOf, part.AnyOf)))
        {
            foreach (var (name, member) in Members(part))
            {
                members.TryAdd(name, member);
            }
        }

        return members;
    }

    /// <summary>The members every value carries: required by the schema or a schema it requires.</summary>
    public static ISet<string> Required(IOpenApiSchema schema) =>
        Parts(schema).SelectMany(part => part.Required ?? new HashSet<string>()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The schema of an array's items, if one is given.</summary>
    public static IOpenApiSchema? Items(IOpenApiSchema schema) =>
        Parts(schema).Select(part => part.Items).FirstOrDefault(items => items is not null)
        ?? Alternatives(schema).Select(Items).FirstOrDefault(items => items is not null);

    /// <summary>
    /// The schema of the values of a map (<c>additionalProperties</c>): the one given, an empty
    /// (any) schema when extra members are allowed without one, null when they are not allowed.
    /// </summary>
    public static IOpenApiSchema? MapValues(IOpenApiSchema schema)
    {
        var given = Parts(schema).Select(part => part.AdditionalProperties).FirstOrDefault(values => values is not null)
            ?? Alternatives(schema).Select(part => part.AdditionalProperties).FirstOrDefault(values => values is not null);
        if (given is not null)
        {
            return given;
        }

        return Parts(schema).All(part => part.AdditionalPropertiesAllowed) ? new OpenApiSchema() : null;
    }

    /// <summary>Whether the schema declares map values of its own (not just "extra members allowed").</summary>
    public static bool HasDeclaredMapValues(IOpenApiSchema schema) =>
        Parts(schema).Concat(Alternatives(schema)).Any(part => part.AdditionalProperties is not null);

    /// <summary>The closed set of values (<c>enum</c>), as JSON text; empty when the value is not restricted.</summary>
    public static IReadOnlyList<string> EnumValues(IOpenApiSchema schema) =>
        Parts(schema).Select(part => part.Enum).FirstOrDefault(values => values is { Count: > 0 }) is { } values
            ? values.Select(Text).ToList()
            : [];

    /// <summary>The documented values of an open string (<c>x-extensible-enum</c>), as JSON text.</summary>
    public static IReadOnlyList<string> ExtensibleEnumValues(IOpenApiSchema schema)
    {
        foreach (var part in Parts(schema))
        {
            if (part.Extensions is { } extensions &&
                extensions.TryGetValue("x-extensible-enum", out var extension) &&
                extension is JsonNodeExtension { Node: JsonArray values })
            {
                return values.Select(Text).ToList();
            }
        }

        return [];
    }

    /// <summary>
    /// What a schema stands for when looking for recursion: the component it refers to, directly or
    /// as the single part of an allOf (how a $ref keeps a description beside it); otherwise the
    /// schema object itself, which an inline schema never repeats.
    /// </summary>
    public static object Identity(IOpenApiSchema schema) =>
        ReferenceId(schema) ?? (schema.AllOf is [var only] ? ReferenceId(only) : null) ?? (object)schema;

    private static string? ReferenceId(IOpenApiSchema schema) => (schema as OpenApiSchemaReference)?.Reference?.Id;

    /// <summary>A readable list of types, such as <c>integer, string or null</c>.</summary>
    public static string Describe(JsonSchemaType types)
    {
        if (types == AnyType)
        {
            return "any type";
        }

        var names = Enum.GetValues<JsonSchemaType>()
            .Where(flag => flag != 0 && types.HasFlag(flag))
            .Select(flag => flag.ToString().ToLowerInvariant())
            .ToList();
        return names.Count switch
        {
            0 => "no type",
            1 => names[0],
            _ => string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1],
        };
    }

    private static string Text(JsonNode? value) => value?.ToJsonString() ?? "null";

    /// <summary>The schema and every schema it requires through allOf or not-not, depth first.</summary>
    private static IEnumerable<IOpenApiSchema> Parts(IOpenApiSchema schema)
    {
        yield return schema;
        foreach (var part in schema.AllOf ?? [])
        {
            foreach (var inner in Parts(part))
            {
                yield return inner;
            }
        }

        if (schema.Not?.Not is { } required)
        {
            foreach (var inner in Parts(required))
            {
                yield return inner;
            }
        }
    }

    private static IEnumerable<IOpenApiSchema> Alternatives(IOpenApiSchema schema) =>
        Parts(schema).SelectMany(part => Concat(part.OneOf, part.AnyOf)).SelectMany(Parts);

    private static IEnumerable<IOpenApiSchema> Concat(IList<IOpenApiSchema>? first, IList<IOpenApiSchema>? second) =>
        (first ?? []).Concat(second ?? []);
}
