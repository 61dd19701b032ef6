using System.Reflection;
using System.Text.Json.Serialization;

namespace BillingImports.Tests.Generated;

/// <summary>Rules every generated model keeps, checked across all of them by reflection.</summary>
public class GeneratedModelRulesTests
{
    private static readonly Type[] Models = typeof(DataSource).Assembly.GetTypes()
        .Where(type => type.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>()?.Tool == "NJsonSchema")
        .ToArray();

    [Fact]
    public void Models_AreGeneratedForEverySchemaInTheSpec()
    {
        var schemas = Support.SpecDocument.Root["components"]!["schemas"]!.AsObject().Select(pair => pair.Key);

        Assert.Equal(schemas.Order(), Models.Select(type => type.Name).Order());
    }

    [Fact]
    public void Models_KeepUnknownMembersInAdditionalProperties()
    {
        Assert.All(Models, type => Assert.NotNull(type.GetProperties().SingleOrDefault(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null)));
    }

    [Fact]
    public void Models_AreReachableFromTheSourceGeneratedContext()
    {
        var context = typeof(DataSource).Assembly.GetType("BillingImports.BillingImportsJsonContext", throwOnError: true)!;
        var options = new System.Text.Json.JsonSerializerOptions();
        var resolver = (System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver)context.GetProperty("Default")!.GetValue(null)!;

        Assert.All(Models, type => Assert.True(resolver.GetTypeInfo(type, options) is not null, $"{type.Name} is not in BillingImportsJsonContext"));
    }

    [Fact]
    public void Models_ArePartialPublicClassesWithPascalCaseProperties()
    {
        Assert.All(Models, type =>
        {
            Assert.True(type.IsPublic && type.IsClass, type.Name);
            Assert.All(type.GetProperties(), property => Assert.DoesNotContain('_', property.Name));
        });
    }
}
