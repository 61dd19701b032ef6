using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Generated;

/// <summary>Rules every generated model keeps, checked across all of them by reflection.</summary>
public class GeneratedModelRulesTests
{
    private static readonly Type[] Models = typeof(DataSource).Assembly.GetTypes()
        .Where(type => type.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>()?.Tool == "NJsonSchema")
        .ToArray();

    private static JsonObject Schemas => SpecDocument.Root["components"]!["schemas"]!.AsObject();

    [Fact]
    public void Models_AreGeneratedForEverySchemaInTheSpecWithoutAHandwrittenType()
    {
        var generated = Schemas.Where(pair => pair.Value!["x-csharp-type"] is null).Select(pair => pair.Key);

        Assert.Equal(generated.Order(), Models.Select(type => type.Name).Order());
    }

    [Fact]
    public void HandwrittenTypes_ExistForEverySchemaThatNamesOne()
    {
        var named = Schemas.Select(pair => (string?)pair.Value!["x-csharp-type"]).OfType<string>().ToList();

        Assert.Contains(nameof(RecordCounts), named);
        Assert.All(named, name => Assert.NotNull(typeof(DataSource).Assembly.GetType("BillingImports." + name)));
    }

    [Fact]
    public void OpenValues_AreReadAsStringsThroughTheClientsMetadata()
    {
        // Every x-extensible-enum member binds to a string in the metadata the clients read with, so
        // no generic serializer code over the status value types is compiled at a first call; the
        // public property stays the open value.
        var members = new (JsonTypeInfo Info, string Property, Type Public)[]
        {
            (DataSourcesClientJsonContext.Default.DataSource, nameof(DataSource.Status), typeof(DataSourceStatus)),
            (SubscriptionImportsClientJsonContext.Default.SubscriptionImportAttributes, nameof(SubscriptionImportAttributes.Status), typeof(ImportStatus)),
        };
        var openInSpec = Schemas.SelectMany(schema => schema.Value!["properties"]?.AsObject() ?? [])
            .Count(property => property.Value!["x-extensible-enum"] is not null);

        Assert.Equal(openInSpec, members.Length);
        Assert.All(members, member =>
        {
            var status = Assert.Single(member.Info.Properties, property => property.Name == "status");
            Assert.Equal(typeof(string), status.PropertyType);
            Assert.DoesNotContain(member.Info.Properties, property => property.PropertyType == member.Public);
            Assert.Equal(member.Public, member.Info.Type.GetProperty(member.Property)!.PropertyType);
        });
    }

    [Fact]
    public void Models_KeepUnknownMembersInAdditionalProperties()
    {
        Assert.All(Models, type =>
        {
            var extension = Assert.Single(type.GetProperties(), p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null);
            Assert.Equal(typeof(IDictionary<string, JsonElement>), extension.PropertyType);
        });
    }

    [Theory]
    [InlineData("GetDataSource", "BillingImports.DataSourcesClientJsonContext")]
    [InlineData("GetImport", "BillingImports.SubscriptionImportsClientJsonContext")]
    [InlineData("ListImportErrors", "BillingImports.SubscriptionImportsClientJsonContext")]
    public void SuccessModels_AreReachableFromTheirClientsSourceGeneratedContext(string operationId, string contextName)
    {
        var context = typeof(DataSource).Assembly.GetType(contextName, throwOnError: true)!;
        var resolver = (IJsonTypeInfoResolver)context.GetProperty("Default")!.GetValue(null)!;
        var options = new JsonSerializerOptions();
        var operation = SpecDocument.Operations().Single(o => o.OperationId == operationId).Operation;
        var schema = operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!;
        var reached = Reachable(schema).Where(name => Schemas[name]!["x-csharp-type"] is null).ToList();

        Assert.NotEmpty(reached);
        Assert.All(reached, name =>
        {
            var type = typeof(DataSource).Assembly.GetType("BillingImports." + name, throwOnError: true)!;
            Assert.True(resolver.GetTypeInfo(type, options) is not null, $"{name} is not in {contextName}");
        });
    }

    [Fact]
    public void GeneratedContexts_ReadThroughTheirOwnMetadata_WithNoReflectionFallback()
    {
        var document = System.Text.Json.JsonSerializer.Deserialize(
            """{"data":{"attributes":{"status":"started"},"meta":{"records":{"uploaded":{"subscription_plan":"12"}},"timestamps":{"created_at":"2024-06-01T12:00:00.123456789+0530"}}}}""",
            SubscriptionImportsClientJsonContext.Default.SubscriptionImportDocument)!;

        Assert.Same(SubscriptionImportsClientJsonContext.Default, SubscriptionImportsClientJsonContext.Default.Options.TypeInfoResolver);
        Assert.Equal(12, document.Data.Records.Uploaded.Plans);
        Assert.Equal(TimeSpan.FromMinutes(330), document.Data.Timestamps.CreatedAt!.Value.Offset);
        Assert.Throws<NotSupportedException>(() => SubscriptionImportsClientJsonContext.Default.Options.GetTypeInfo(typeof(UnlistedModel)));
        Assert.Throws<NotSupportedException>(() => DataSourcesClientJsonContext.Default.Options.GetTypeInfo(typeof(UnlistedModel)));
    }

    [Fact]
    public void ContextTypeInfo_ReadsWithTheTolerantConverters()
    {
        var source = System.Text.Json.JsonSerializer.Deserialize(
            """{"uuid":"ds_1","created_at":"2016-01-09T16:23:36.000+0000"}""", DataSourcesClientJsonContext.Default.DataSource)!;

        Assert.Equal(new DateTimeOffset(2016, 1, 9, 16, 23, 36, TimeSpan.Zero), source.CreatedAt);
    }

    [Fact]
    public void Models_AreClassesWithTheSpecsAccessAndPascalCaseProperties()
    {
        Assert.All(Models, type =>
        {
            var internalBySpec = (string?)Schemas[type.Name]!["x-csharp-access"] == "internal";
            Assert.True(type.IsClass, type.Name);
            Assert.True(internalBySpec ? !type.IsPublic : type.IsPublic, $"{type.Name}: public {type.IsPublic}, spec internal {internalBySpec}");
            Assert.All(type.GetProperties(), property => Assert.DoesNotContain('_', property.Name));
        });
    }

    [Fact]
    public void ErrorDocumentModels_AreInternal()
    {
        Assert.All(
            [typeof(ChartMogulError), typeof(ChartMogulErrorDetail), typeof(JsonApiErrorDocument), typeof(JsonApiError), typeof(JsonApiErrorMeta), typeof(SubscriptionImportDocument)],
            type => Assert.False(type.IsPublic, type.Name));
    }

    /// <summary>Every schema a schema refers to, itself included, following $ref through properties, items and allOf.</summary>
    private static HashSet<string> Reachable(JsonNode schema)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode>([schema]);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    if ((string?)obj["$ref"] is { } reference)
                    {
                        var name = reference.Split('/')[^1];
                        if (found.Add(name))
                        {
                            pending.Push(Schemas[name]!);
                        }
                    }

                    foreach (var (_, child) in obj)
                    {
                        if (child is not null)
                        {
                            pending.Push(child);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array.OfType<JsonNode>())
                    {
                        pending.Push(child);
                    }

                    break;
            }
        }

        return found;
    }
}

/// <summary>A model the SDK's context does not list: reading it must not fall back to reflection.</summary>
public sealed class UnlistedModel
{
    public string? Name { get; set; }
}
