using BillingImports;

// One call, as a console app that has just started makes it; the address comes from the harness.
// With "generated", the SDK's generated client over a plain HttpClient: the cold start of the
// generated code and its models alone, without the pipeline.
if (args.Length > 1 && args[1] == "generated")
{
    using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
    var plain = await new DataSourcesClient(http).GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430");
    Console.WriteLine(plain.Status);
    return;
}

using var chartMogul = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = new Uri(args[0]) });
var source = await chartMogul.DataSources.GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430");
Console.WriteLine(source.Status);
