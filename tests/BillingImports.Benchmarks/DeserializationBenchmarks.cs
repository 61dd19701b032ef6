using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BillingImports.Benchmarks.Floor;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// Reading one response body into objects, with no I/O. The floor reads UTF-8 bytes with
/// source-generated metadata; the SDK does what its generated clients do: deserialize the UTF-8
/// bytes with the client's own source-generated context, through the models' tolerant converters.
/// </summary>
[MemoryDiagnoser]
public class DeserializationBenchmarks
{
    private static readonly JsonSerializerOptions ReflectionOptions = new() { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

    [Params("data-source", "import-small", "import-large")]
    public string Payload { get; set; } = "data-source";

    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = Payload switch
    {
        "data-source" => Payloads.DataSource,
        "import-small" => Payloads.SmallImport,
        _ => Payloads.LargeImport,
    };

    [Benchmark(Baseline = true)]
    public object Floor() => Payload == "data-source"
        ? JsonSerializer.Deserialize(_body, FloorJsonContext.Default.FloorDataSource)!
        : JsonSerializer.Deserialize(_body, FloorJsonContext.Default.FloorImportDocument)!;

    [Benchmark]
    public object Sdk() => Payload == "data-source"
        ? JsonSerializer.Deserialize(_body, DataSourcesClientJsonContext.Default.DataSource)!
        : JsonSerializer.Deserialize(_body, SubscriptionImportsClientJsonContext.Default.SubscriptionImportDocument)!.Data;

    /// <summary>The same models with reflection metadata instead of the source-generated context.</summary>
    [Benchmark]
    public object SdkReflection() => Payload == "data-source"
        ? JsonSerializer.Deserialize<DataSource>(_body, ReflectionOptions)!
        : JsonSerializer.Deserialize<SubscriptionImportDocument>(_body, ReflectionOptions)!.Data;
}
