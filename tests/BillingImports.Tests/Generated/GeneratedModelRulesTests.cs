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
    public void ClientSerializerOptions_UseTheContextAndItsConverters_WithNoReflectionFallback()
    {
        var options = new System.Text.Json.JsonSerializerOptions();
        BillingImportsJsonContext.Apply(options);

        var document = System.Text.Json.JsonSerializer.Deserialize(
            """{"data":{"attributes":{"records":{"uploaded":{"subscriptions":"12"}}},"meta":{"timestamps":{"created_at":"2024-06-01T12:00:00.123456789+0530"}}}}""",
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<SubscriptionImportDocument>)options.GetTypeInfo(typeof(SubscriptionImportDocument)))!;

        Assert.Same(BillingImportsJsonContext.Default, options.TypeInfoResolver);
        Assert.Equal(12, document.Data.Attributes.Records.Uploaded["subscriptions"]);
        Assert.Equal(TimeSpan.FromMinutes(330), document.Data.Meta!.Timestamps!.CreatedAt!.Value.Offset);
        Assert.Throws<NotSupportedException>(() => options.GetTypeInfo(typeof(UnlistedModel)));
    }

    [Fact]
    public void ContextTypeInfo_ReadsWithTheTolerantConverters()
    {
        var source = System.Text.Json.JsonSerializer.Deserialize(
            """{"uuid":"ds_1","created_at":"2016-01-09T16:23:36.000+0000"}""", BillingImportsJsonContext.Default.DataSource)!;

        Assert.Equal(new DateTimeOffset(2016, 1, 9, 16, 23, 36, TimeSpan.Zero), source.CreatedAt);
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

/// <summary>A model the SDK's context does not list: reading it must not fall back to reflection.</summary>
public sealed class UnlistedModel
{
    public string? Name { get; set; }
}
