using System.Text.Json;
using BillingImports.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using TestContext = BillingImports.Tests.Support.TestContext;

namespace BillingImports.Tests.Generated;

public sealed class GeneratedClientRoundTripTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly HttpClient _http;

    public GeneratedClientRoundTripTests()
    {
        _http = new HttpClient { BaseAddress = new Uri(_server.Url + "/") };
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    public static TheoryData<string> DataSourceExamples() => ExampleNames("GetDataSource");

    public static TheoryData<string> ImportExamples() => ExampleNames("GetImport");

    [Theory]
    [MemberData(nameof(DataSourceExamples))]
    public async Task GetDataSource_SpecExample_RoundTripsThroughGeneratedClient(string exampleName)
    {
        var example = Example("GetDataSource", exampleName);
        var uuid = JsonDocument.Parse(example.Json).RootElement.GetProperty("uuid").GetString()!;
        _server.Given(Request.Create().WithPath($"/v1/data_sources/{uuid}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(example.Json));

        var source = await new DataSourcesClient(_http).GetDataSourceAsync(uuid, cancellationToken: TestContext.Token);

        AssertJsonEquivalent(example.Json, JsonSerializer.Serialize(source));
        Assert.Equal(uuid, source.Uuid);
    }

    [Theory]
    [MemberData(nameof(ImportExamples))]
    public async Task GetImport_SpecExample_RoundTripsThroughGeneratedClient(string exampleName)
    {
        var example = Example("GetImport", exampleName);
        var id = JsonDocument.Parse(example.Json).RootElement.GetProperty("data").GetProperty("id").GetString()!;
        _server.Given(Request.Create().WithPath($"/v2/subscriptions/imports/{id}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(example.Json));

        var import = await new SubscriptionImportsClient(_http).GetImportAsync(id, TestContext.Token);

        // The client returns the document's data member: the resource, every member of it kept.
        AssertJsonEquivalent(JsonDocument.Parse(example.Json).RootElement.GetProperty("data").GetRawText(), JsonSerializer.Serialize(import));
        Assert.Equal(id, import.Id);
    }

    [Fact]
    public async Task GetDataSource_QueryFlags_AreSentAsLowerCaseBooleans()
    {
        var example = Example("GetDataSource", "integration_importing");
        _server.Given(Request.Create().WithPath("/v1/data_sources/ds_1").WithParam("with_processing_status", "true").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(example.Json));

        var source = await new DataSourcesClient(_http).GetDataSourceAsync("ds_1", withProcessingStatus: true, cancellationToken: TestContext.Token);

        Assert.Equal(new DataSourceProcessingStatus(61, 12, 1), source.ProcessingStatus);
    }

    private static TheoryData<string> ExampleNames(string operationId)
    {
        var data = new TheoryData<string>();
        foreach (var example in SpecDocument.Examples().Where(e => e.OperationId == operationId && e.Status == "200"))
        {
            data.Add(example.Name);
        }

        return data;
    }

    private static SpecExample Example(string operationId, string name) =>
        SpecDocument.Examples().Single(e => e.OperationId == operationId && e.Status == "200" && e.Name == name);

    /// <summary>Equal as JSON values, where timestamps compare as instants (9 fractional digits become 7).</summary>
    private static void AssertJsonEquivalent(string expected, string actual)
    {
        using var left = JsonDocument.Parse(expected);
        using var right = JsonDocument.Parse(actual);
        AssertEquivalent(left.RootElement, right.RootElement, "$");
    }

    private static void AssertEquivalent(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(expected.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var expectedTime) && expected.GetString()!.Contains('T', StringComparison.Ordinal))
        {
            var actualTime = DateTimeOffset.Parse(actual.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True((expectedTime - actualTime).Duration() < TimeSpan.FromMicroseconds(1), $"{path}: {expected} vs {actual}");
            return;
        }

        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: {expected.ValueKind} vs {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(member.Name, out var other), $"{path}.{member.Name} missing");
                    AssertEquivalent(member.Value, other, $"{path}.{member.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                foreach (var (left, right) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    AssertEquivalent(left, right, path + "[]");
                }

                break;
            default:
                Assert.Equal(expected.GetRawText(), actual.GetRawText());
                break;
        }
    }
}
