using BillingImports;

// One call, as a console app that has just started makes it; the address comes from the harness.
using var chartMogul = new ChartMogulClient(new ChartMogulClientOptions { ApiKey = "benchmark-api-key-0123456789", BaseAddress = new Uri(args[0]) });
var source = await chartMogul.DataSources.GetDataSourceAsync("ds_fef05d54-47b4-431b-aed2-eb6b9e545430");
Console.WriteLine(source.Status);
