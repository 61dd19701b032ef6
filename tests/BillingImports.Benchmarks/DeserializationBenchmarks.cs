using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BillingImports.Benchmarks.Floor;
using BillingImports.Benchmarks.Support;

namespace BillingImports.Benchmarks;

/// <summary>
/// Reading one response body into objects, with no I/O. The floor reads UTF-8 bytes with
/// source-generated metadata; the SDK does what its generated clients do: decode the body to a
/// string (kept so a malformed body can be reported as received) and deserialize with the
/// SDK's source-generated context.
/// </summary>
[MemoryDiagnoser]
public class DeserializationBenchmarks
{
    private static readonly JsonSerializerOptions SdkOptions = SdkSerializer.Options;
    private static readonly JsonSerializerOptions ReflectionOptions = new(SdkSerializer.Options) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };

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
    public object Sdk()
    {
        var text = Encoding.UTF8.GetString(_body);
        return Payload == "data-source"
            ? JsonSerializer.Deserialize<DataSource>(text, SdkOptions)!
            : JsonSerializer.Deserialize<SubscriptionImportDocument>(text, SdkOptions)!;
    }

    /// <summary>The same options with reflection metadata instead of the source-generated context.</summary>
    [Benchmark]
    public object SdkReflection()
    {
        var text = Encoding.UTF8.GetString(_body);
        return Payload == "data-source"
            ? JsonSerializer.Deserialize<DataSource>(text, ReflectionOptions)!
            : JsonSerializer.Deserialize<SubscriptionImportDocument>(text, ReflectionOptions)!;
    }
}

/// <summary>The serializer options the generated clients use, read from a client itself so the benchmark cannot drift from it.</summary>
internal sealed class SdkSerializer : DataSourcesClient
{
    private SdkSerializer()
        : base(new HttpClient())
    {
    }

    public static JsonSerializerOptions Options { get; } = new SdkSerializer().JsonSerializerSettings;
}
