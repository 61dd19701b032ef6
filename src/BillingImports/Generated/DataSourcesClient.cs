using System.Text;

namespace BillingImports;

// CUSTOM: hooks the generated ChartMogul client into the SDK's error handling.
/// <summary>Reads ChartMogul data sources (<c>GET /v1/data_sources/{uuid}</c>). Generated from the OpenAPI document; failures surface as <see cref="BillingImportsApiException"/>.</summary>
public partial class DataSourcesClient
{
    // CUSTOM: keep the body as text so a malformed document is reported with what was received.
    partial void Initialize() => ReadResponseAsString = true;

    // CUSTOM: source-generated metadata instead of reflection, and the tolerant converters for
    // timestamps and record counts (see BillingImportsJsonContext).
    static partial void UpdateJsonSerializerSettings(System.Text.Json.JsonSerializerOptions settings) =>
        BillingImportsJsonContext.Apply(settings);

    private static Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, StringBuilder urlBuilder, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    private static Task PrepareRequestAsync(HttpClient client, HttpRequestMessage request, string url, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    // CUSTOM: every non-success status becomes a typed BillingImportsApiException before the generated
    // code tries to read the body as the documented error schema (which the service does not always send);
    // a success body is buffered first, because the generated read only turns JsonException into the typed
    // exception and a broken connection or an unknown charset would otherwise escape raw.
    private static Task ProcessResponseAsync(HttpClient client, HttpResponseMessage response, CancellationToken cancellationToken) =>
        ErrorResponseReader.ThrowIfErrorAsync(response, cancellationToken);
}
