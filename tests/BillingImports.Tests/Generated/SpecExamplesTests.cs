using System.Text.Json;
using BillingImports.Tests.Support;

namespace BillingImports.Tests.Generated;

public class SpecExamplesTests
{
    [Fact]
    public void Spec_DocumentsEveryResponseTheIssueNames()
    {
        var byOperation = SpecDocument.Operations().ToDictionary(o => o.OperationId, o => o.Operation["responses"]!.AsObject().Select(r => r.Key));

        Assert.Equal(["200", "401", "403", "404", "422", "429", "500"], byOperation["GetDataSource"].Order());
        Assert.Equal(["200", "400", "401", "404", "429", "500"], byOperation["GetImport"].Order());
        Assert.Equal(["200", "400", "401", "404", "429", "500"], byOperation["ListImportErrors"].Order());
    }

    [Fact]
    public void Spec_EveryResponseHasAnExample()
    {
        var examples = SpecDocument.Examples();

        foreach (var (operation, status) in SpecDocument.Operations().SelectMany(o => o.Operation["responses"]!.AsObject().Select(r => (o.OperationId, r.Key))))
        {
            Assert.Contains(examples, e => e.OperationId == operation && e.Status == status);
        }
    }

    [Fact]
    public void Spec_EveryJsonExampleDeserializesIntoItsGeneratedType()
    {
        var examples = SpecDocument.Examples().Where(e => e.MediaType == "application/json").ToList();
        Assert.True(examples.Count >= 15, $"expected the spec's JSON examples, found {examples.Count}");

        foreach (var example in examples)
        {
            Assert.NotNull(example.SchemaName);
            var type = typeof(DataSource).Assembly.GetType($"BillingImports.{example.SchemaName}");
            Assert.True(type is not null, $"{example}: no generated type {example.SchemaName}");

            var value = JsonSerializer.Deserialize(example.Json, type);
            Assert.True(value is not null, $"{example}: deserialized to null");

            // Every member of the example lands in a typed property or in AdditionalProperties: nothing is lost.
            var roundTripped = JsonSerializer.SerializeToElement(value, type);
            using var original = JsonDocument.Parse(example.Json);
            foreach (var member in original.RootElement.EnumerateObject())
            {
                Assert.True(roundTripped.TryGetProperty(member.Name, out _), $"{example}: member {member.Name} was dropped");
            }
        }
    }

    [Fact]
    public void Spec_SuccessExamplesFillTheDocumentedFields()
    {
        var examples = SpecDocument.Examples().Where(e => e.Status == "200").ToList();

        foreach (var example in examples.Where(e => e.SchemaName == nameof(DataSource)))
        {
            var source = JsonSerializer.Deserialize<DataSource>(example.Json)!;
            Assert.StartsWith("ds_", source.Uuid, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(source.Name));
            Assert.True(source.Status.IsKnown, example.ToString());
            Assert.NotNull(source.CreatedAt);
        }

        foreach (var example in examples.Where(e => e.SchemaName == nameof(SubscriptionImportDocument)))
        {
            var import = JsonSerializer.Deserialize<SubscriptionImportDocument>(example.Json)!.Data;
            Assert.True(Guid.TryParse(import.Id, out _), example.ToString());
            Assert.Equal("subscription_import", import.Type);
            Assert.True(import.Status.IsKnown, example.ToString());
            Assert.False(string.IsNullOrEmpty(import.Meta.Owner), example.ToString());

            // Counts under meta.records, keyed by the vendor's record types.
            Assert.NotEmpty(import.Records.Uploaded);
            Assert.True(import.Records.Uploaded.Total > 0, example.ToString());
            Assert.Equal(import.Records.Uploaded.Keys.Order(), import.Records.Imported.Keys.Order());
            Assert.All(import.Records.Uploaded.Keys, key => Assert.StartsWith("subscription", key, StringComparison.Ordinal));
            Assert.NotEqual(default, import.Timestamps.CreatedAt);
        }

        foreach (var example in examples.Where(e => e.SchemaName == nameof(SubscriptionImportErrorPage)))
        {
            var page = JsonSerializer.Deserialize<SubscriptionImportErrorPage>(example.Json)!;
            Assert.NotEmpty(page.Data);
            Assert.All(page.Data, error =>
            {
                Assert.Equal("subscription_import_error", error.Type);
                Assert.True(error.LineNumber > 0, example.ToString());
                Assert.False(string.IsNullOrEmpty(error.Error), example.ToString());
            });
            Assert.Equal(page.Data.OrderBy(error => error.LineNumber).Select(error => error.LineNumber), page.Data.Select(error => error.LineNumber));
        }
    }
}
