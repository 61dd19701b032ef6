using System.Text.Json;
using BillingImports.Benchmarks.Floor;
using Refit;

namespace BillingImports.Benchmarks.Peers;

/// <summary>
/// The Refit peer: what a team writes when it picks Refit for these endpoints, with the floor's
/// plain models and source-generated System.Text.Json metadata (Refit's own source generator
/// writes the implementation).
/// </summary>
public interface IRefitBillingApi
{
    [Get("/v1/data_sources/{uuid}")]
    Task<FloorDataSource> GetDataSourceAsync(string uuid, CancellationToken cancellationToken = default);

    [Get("/v2/subscriptions/imports/{id}")]
    Task<FloorImportDocument> GetImportAsync(string id, CancellationToken cancellationToken = default);
}

public static class RefitPeer
{
    public static IRefitBillingApi Create(HttpClient http) =>
        RestService.For<IRefitBillingApi>(http, new RefitSettings(new SystemTextJsonContentSerializer(new JsonSerializerOptions { TypeInfoResolver = FloorJsonContext.Default })));
}
