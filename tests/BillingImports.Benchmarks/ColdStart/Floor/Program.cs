using System.Net.Http.Json;
using BillingImports.Benchmarks.Floor;

// One call, as a console app that has just started makes it; the address comes from the harness.
using var http = new HttpClient { BaseAddress = new Uri(args[0]) };
var source = await http.GetFromJsonAsync("v1/data_sources/ds_fef05d54-47b4-431b-aed2-eb6b9e545430", FloorJsonContext.Default.FloorDataSource);
Console.WriteLine(source!.Status);
